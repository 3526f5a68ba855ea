import pg from "pg";
import { env } from "@/lib/env";
import { applicationName } from "@/lib/db/pg";
import { log } from "@/lib/log";

/**
 * Job locks live in PostgreSQL sessions, so they die with the process that holds them: a SIGKILLed or crashed
 * worker's connection closes and PostgreSQL releases its locks at once. That makes "is the lock free?" an exact
 * liveness test, which the abandoned-run sweep (run.ts) relies on — no heartbeat timer that a CPU-bound job
 * (forecast fitting runs synchronously) could starve.
 *
 * Keys use the two-int4 form, a lock space of its own: the services' per-org transaction locks use one bigint.
 * - run lock (job name × org): one run of a job per org at a time, across every worker;
 * - queue-job lock (namespace "pgboss-job" × pg-boss job id): held while a worker executes that pg-boss job.
 *
 * The connection is a dedicated client, not a pooled one: session locks must not leak to the pool's next user.
 * They need a session, so behind PgBouncer in transaction mode point JOB_LOCK_DATABASE_URL at PostgreSQL itself.
 */
export const QUEUE_JOB_LOCK = "pgboss-job";

export function lockUrl(): string {
  return process.env.JOB_LOCK_DATABASE_URL || env().DATABASE_URL;
}

export async function lockClient(): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: lockUrl(), application_name: applicationName(), keepAlive: true });
  // a dropped connection surfaces on the next query; without a listener it would crash the process
  c.on("error", (e) => log.warn({ err: e }, "job lock connection lost"));
  await c.connect();
  return c;
}

/** The session a worker holds while it executes one pg-boss job (or a test or CLI runs a job directly). */
export class JobSession {
  private constructor(private readonly client: pg.Client, readonly queueJobId: string | null) {}

  /**
   * Opens the session and, for a pg-boss job, takes its queue-job lock. Waits for run locks at most
   * lockTimeoutS (the queue's expiry: by then pg-boss has given the job up anyway).
   */
  static async open(queueJobId: string | null, lockTimeoutS: number): Promise<JobSession> {
    const c = await lockClient();
    try {
      await c.query(`SET lock_timeout = ${Math.max(1, Math.round(lockTimeoutS * 1000))}`);
      if (queueJobId) await c.query("SELECT pg_advisory_lock(hashtext($1), hashtext($2))", [QUEUE_JOB_LOCK, queueJobId]);
    } catch (e) {
      await c.end().catch(() => undefined);
      throw e;
    }
    return new JobSession(c, queueJobId);
  }

  /** Runs fn holding the run lock of job × org: a second run of the same job for the same org waits for this one. */
  async exclusive<T>(name: string, orgId: string | null, fn: () => Promise<T>): Promise<T> {
    await this.client.query("SELECT pg_advisory_lock(hashtext($1), hashtext($2))", [name, orgId ?? ""]);
    try {
      return await fn();
    } finally {
      await this.client.query("SELECT pg_advisory_unlock(hashtext($1), hashtext($2))", [name, orgId ?? ""]).catch(() => undefined);
    }
  }

  /** Ending the session releases every lock it still holds. */
  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }
}

/**
 * Runs fn only if nobody holds the lock (key1, key2) — then its holder, if there was one, is gone — and keeps the
 * lock while fn runs, so the holder cannot come back meanwhile. Returns whether fn ran. The connection must not
 * hold the lock itself (a session re-acquires its own locks).
 */
export async function ifLockFree(c: pg.Client, key1: string, key2: string, fn: () => Promise<void>): Promise<boolean> {
  const { rows } = await c.query<{ got: boolean }>("SELECT pg_try_advisory_lock(hashtext($1), hashtext($2)) AS got", [key1, key2]);
  if (!rows[0].got) return false;
  try {
    await fn();
  } finally {
    await c.query("SELECT pg_advisory_unlock(hashtext($1), hashtext($2))", [key1, key2]);
  }
  return true;
}
