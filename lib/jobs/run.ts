import type PgBoss from "pg-boss";
import { prisma } from "@/lib/db/client";
import { log, processLabel } from "@/lib/log";
import { ifLockFree, JobSession, lockClient, QUEUE_JOB_LOCK } from "./lock";

/** A job run without a queue (tests, CLIs) waits this long at most for another run of the same job and org. */
const DIRECT_LOCK_TIMEOUT_S = 3600;

const ABANDONED = "abandoned: the worker running it stopped (its session and locks are gone)";

const json = (v: unknown) => JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x)));

/**
 * Wraps a job so every run leaves a row in the job-run log (job, status, duration, error, worker) for admins,
 * and runs it under the job × org run lock: two runs of the same job for the same org — on two workers, or a
 * retry next to a run pg-boss gave up on — never overlap. Without a session (tests, CLIs) it opens its own.
 */
export async function logJobRun<T extends object>(name: string, orgId: string | null, fn: () => Promise<T>, session?: JobSession): Promise<T> {
  const own = session ? null : await JobSession.open(null, DIRECT_LOCK_TIMEOUT_S);
  const s = session ?? own!;
  try {
    return await s.exclusive(name, orgId, () => runLogged(name, orgId, fn, s.queueJobId));
  } finally {
    await own?.close();
  }
}

async function runLogged<T extends object>(name: string, orgId: string | null, fn: () => Promise<T>, queueJobId: string | null): Promise<T> {
  // Holding the run lock, no other run of this job and org can be alive: any still RUNNING was abandoned.
  await prisma.jobRun.updateMany({ where: { name, organizationId: orgId, status: "RUNNING" }, data: { status: "FAILED", finishedAt: new Date(), error: ABANDONED } });
  const run = await prisma.jobRun.create({ data: { name, organizationId: orgId, status: "RUNNING", worker: processLabel, queueJobId } });
  const started = Date.now();
  try {
    const details = await fn();
    await prisma.jobRun.update({ where: { id: run.id }, data: { status: "SUCCEEDED", finishedAt: new Date(), durationMs: Date.now() - started, details: json(details) } });
    return details;
  } catch (e) {
    const msg = (e as Error).message ?? String(e);
    await prisma.jobRun.update({ where: { id: run.id }, data: { status: "FAILED", finishedAt: new Date(), durationMs: Date.now() - started, error: msg.slice(0, 4000) } });
    log.error({ err: e, job: name, orgId }, "job failed");
    throw e;
  }
}

/**
 * Finds what dead workers left behind and settles it, instead of waiting for pg-boss's expiry:
 * - a JobRun still RUNNING whose run lock is free is marked FAILED (abandoned);
 * - a pg-boss job still 'active' whose queue-job lock is free is failed, so pg-boss retries it now (within its
 *   retry limit). Jobs younger than graceS are left alone: a worker takes the lock right after fetching.
 * One sweep at a time across workers (a second sweeper skips), so a dead job is failed once, not once per worker.
 */
export async function sweepAbandoned(boss: Pick<PgBoss, "fail"> | null, queues: string[], graceS = 30): Promise<{ runs: number; queueJobs: number }> {
  const c = await lockClient();
  const done = { runs: 0, queueJobs: 0 };
  try {
    const { rows: got } = await c.query<{ ok: boolean }>("SELECT pg_try_advisory_lock(hashtext('tokenhedge'), hashtext('job-sweep')) AS ok");
    if (!got[0].ok) return done;
    const cutoff = new Date(Date.now() - graceS * 1000);
    const runs = await prisma.jobRun.findMany({ where: { status: "RUNNING", startedAt: { lt: cutoff } }, select: { id: true, name: true, organizationId: true } });
    for (const r of runs) {
      await ifLockFree(c, r.name, r.organizationId ?? "", async () => {
        const n = await prisma.jobRun.updateMany({ where: { id: r.id, status: "RUNNING" }, data: { status: "FAILED", finishedAt: new Date(), error: ABANDONED } });
        done.runs += n.count;
      });
    }
    if (boss && queues.length) {
      const { rows: active } = await c.query<{ id: string; name: string }>(
        "SELECT id::text, name FROM pgboss.job WHERE state = 'active' AND name = ANY($1) AND started_on < $2",
        [queues, cutoff],
      );
      for (const j of active) {
        await ifLockFree(c, QUEUE_JOB_LOCK, j.id, async () => {
          await boss.fail(j.name, j.id, { message: ABANDONED });
          done.queueJobs++;
        });
      }
    }
    if (done.runs || done.queueJobs) log.warn(done, "abandoned job runs settled");
    return done;
  } finally {
    await c.end().catch(() => undefined);
  }
}
