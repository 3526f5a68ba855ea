import type PgBoss from "pg-boss";
import { applicationName, poolSize } from "@/lib/db/pg";
import { log } from "@/lib/log";
import { HANDLERS, SCHEDULES } from "./handlers";
import { JobSession } from "./lock";
import { jobExpirySeconds, startBoss, type JobName } from "./queue";
import { sweepAbandoned } from "./run";

/** Seconds between abandoned-run sweeps (JOB_SWEEP_SECONDS); a dead worker's job is retried within about this. */
const sweepSeconds = () => poolSize("JOB_SWEEP_SECONDS", 15);

/**
 * Starts a pg-boss worker on the app's PostgreSQL: registers every handler and the nightly schedules (UTC), and
 * sweeps for runs and jobs that dead workers left behind (at start and every JOB_SWEEP_SECONDS).
 * Each job runs inside a JobSession: the queue-job lock says "a live worker has it" until the job ends.
 */
export async function startWorker(connectionString: string): Promise<PgBoss & { stopSweeping: () => void }> {
  const boss = await startBoss({ connectionString, max: poolSize("PGBOSS_POOL_MAX", 4), application_name: applicationName() });
  const queues = Object.keys(HANDLERS);
  for (const [name, handler] of Object.entries(HANDLERS)) {
    const expiry = jobExpirySeconds(name as JobName);
    await boss.work<{ orgId?: string }>(name, { batchSize: 1 }, async (jobs) => {
      for (const job of jobs) {
        const session = await JobSession.open(job.id, expiry);
        try {
          await handler(job.data ?? {}, session);
        } finally {
          await session.close();
        }
      }
    });
  }
  for (const s of SCHEDULES) await boss.schedule(s.name, s.cron, {}, { tz: "UTC" });
  const sweep = () => sweepAbandoned(boss, queues).catch((e) => log.warn({ err: e }, "abandoned-run sweep failed"));
  await sweep();
  const timer = setInterval(() => void sweep(), sweepSeconds() * 1000);
  timer.unref();
  log.info({ jobs: queues, sweepSeconds: sweepSeconds() }, "worker started");
  return Object.assign(boss, { stopSweeping: () => clearInterval(timer) });
}
