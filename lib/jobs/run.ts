import { prisma } from "@/lib/db/client";
import { log } from "@/lib/log";

/** Wraps a job so every run leaves a row in the job-run log (job, status, duration, error) for admins. */
export async function logJobRun<T extends object>(name: string, orgId: string | null, fn: () => Promise<T>): Promise<T> {
  const run = await prisma.jobRun.create({ data: { name, organizationId: orgId, status: "RUNNING" } });
  const started = Date.now();
  try {
    const details = await fn();
    await prisma.jobRun.update({
      where: { id: run.id },
      data: { status: "SUCCEEDED", finishedAt: new Date(), durationMs: Date.now() - started, details: JSON.parse(JSON.stringify(details, (_k, v) => (typeof v === "bigint" ? v.toString() : v))) },
    });
    return details;
  } catch (e) {
    const msg = (e as Error).message ?? String(e);
    await prisma.jobRun.update({ where: { id: run.id }, data: { status: "FAILED", finishedAt: new Date(), durationMs: Date.now() - started, error: msg.slice(0, 4000) } });
    log.error({ err: e, job: name, orgId }, "job failed");
    throw e;
  }
}
