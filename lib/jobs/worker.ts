import PgBoss from "pg-boss";
import { log } from "@/lib/log";
import { HANDLERS, SCHEDULES } from "./handlers";

/** Starts a pg-boss worker on the app's PostgreSQL: registers every handler and the nightly schedules (UTC). */
export async function startWorker(connectionString: string) {
  const boss = new PgBoss({ connectionString, max: 4 });
  boss.on("error", (e) => log.error({ err: e }, "pg-boss error"));
  await boss.start();
  for (const [name, handler] of Object.entries(HANDLERS)) {
    await boss.createQueue(name);
    await boss.work<{ orgId?: string }>(name, { batchSize: 1 }, async (jobs) => {
      for (const job of jobs) await handler(job.data ?? {});
    });
  }
  for (const s of SCHEDULES) await boss.schedule(s.name, s.cron, {}, { tz: "UTC" });
  log.info({ jobs: Object.keys(HANDLERS) }, "worker started");
  return boss;
}
