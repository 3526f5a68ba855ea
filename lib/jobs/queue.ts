import PgBoss from "pg-boss";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { applicationName, poolSize } from "@/lib/db/pg";
import { lockClient } from "./lock";

/** Job names: the worker registers a handler for each (lib/jobs/handlers.ts). */
export const JOBS = {
  pruneLoginAttempts: "auth.prune-login-attempts",
  pruneImportLeftovers: "imports.prune-leftovers",
  rebuildCurves: "curves.rebuild",
  runForecasts: "forecasts.run",
  runRecommendations: "recommendations.run",
  rollupUsage: "usage.rollup",
  runSettlements: "settlements.run",
  computeMarks: "marks.daily",
  syncConnectors: "connectors.sync",
} as const;
export type JobName = (typeof JOBS)[keyof typeof JOBS];

/**
 * pg-boss expiry per queue: a few times the job's real duration (README "Scale-out" has the measurements). An
 * active job past it is failed and retried. That is the backstop for a hung worker; a dead worker's jobs are
 * failed and retried sooner by the abandoned-run sweep (run.ts), which needs no timeout.
 */
export const JOB_EXPIRY_SECONDS: Record<JobName, number> = {
  [JOBS.pruneLoginAttempts]: 300,
  [JOBS.pruneImportLeftovers]: 300,
  [JOBS.rebuildCurves]: 600,
  [JOBS.runForecasts]: 900,
  [JOBS.runRecommendations]: 600,
  [JOBS.rollupUsage]: 900,
  [JOBS.runSettlements]: 600,
  [JOBS.computeMarks]: 600,
  // a year's backfill with rate-limit waits; a connector's own requests time out after 30 s each
  [JOBS.syncConnectors]: 1800,
};
const RETRY = { retryLimit: 2, retryDelay: 5 };

/** The queue's expiry: JOB_EXPIRY_SECONDS, or JOB_EXPIRY_<QUEUE> from the environment (e.g. JOB_EXPIRY_FORECASTS_RUN=1800). */
export function jobExpirySeconds(name: JobName): number {
  return poolSize(`JOB_EXPIRY_${name.toUpperCase().replace(/[^A-Z0-9]+/g, "_")}`, JOB_EXPIRY_SECONDS[name]);
}

/**
 * Creates the queues, or brings their expiry up to date, under one advisory lock: pg-boss's create_queue attaches a
 * partition to its job table, and two processes doing that at once on a fresh database deadlocked.
 */
export async function ensureQueues(boss: PgBoss): Promise<void> {
  const c = await lockClient();
  try {
    await c.query("SELECT pg_advisory_lock(hashtext('tokenhedge'), hashtext('pgboss-queues'))");
    for (const name of Object.values(JOBS)) {
      const want = { name, ...RETRY, expireInSeconds: jobExpirySeconds(name) };
      const q = await boss.getQueue(name);
      if (!q) await boss.createQueue(name, want);
      else if (q.expireInSeconds !== want.expireInSeconds || q.retryLimit !== want.retryLimit || q.retryDelay !== want.retryDelay) await boss.updateQueue(name, want);
    }
  } finally {
    await c.end().catch(() => undefined);
  }
}

/**
 * Starts pg-boss and ensures the queues, retrying with back-off: start-up can race other instances (or a database
 * that is still coming up). Each attempt uses a fresh PgBoss; a failed one is stopped.
 */
export async function startBoss(options: PgBoss.ConstructorOptions, attempts = 6): Promise<PgBoss> {
  for (let attempt = 1; ; attempt++) {
    const boss = new PgBoss(options);
    boss.on("error", (e) => log.error({ err: e }, "pg-boss error"));
    try {
      await boss.start();
      await ensureQueues(boss);
      return boss;
    } catch (e) {
      await boss.stop({ graceful: false, wait: false }).catch(() => undefined);
      if (attempt >= attempts) throw e;
      const waitMs = Math.min(10_000, 250 * 2 ** attempt) * (0.5 + Math.random());
      log.warn({ err: e, attempt, waitMs: Math.round(waitMs) }, "pg-boss start failed; retrying");
      await new Promise((r) => setTimeout(r, waitMs));
    }
  }
}

const g = globalThis as unknown as { __boss?: Promise<PgBoss> };

/** A sender-only pg-boss for web processes: no maintenance or cron, that is the worker's job. */
export function sender(): Promise<PgBoss> {
  if (!g.__boss) {
    g.__boss = startBoss({ connectionString: env().DATABASE_URL, supervise: false, schedule: false, max: poolSize("PGBOSS_POOL_MAX", 2), application_name: applicationName() });
    // a failed start is not cached: the next enqueue tries again
    g.__boss.catch(() => (g.__boss = undefined));
  }
  return g.__boss;
}

export async function enqueue(name: JobName, data: { orgId?: string; reason?: string; connectorId?: string } = {}) {
  const boss = await sender();
  // singletonKey: at most one queued run per org and job (per connector for a connector's "Sync now"), however many imports arrive at once
  return boss.send(name, data, { singletonKey: `${name}:${data.orgId ?? "all"}${data.connectorId ? `:${data.connectorId}` : ""}`, retryLimit: 2 });
}

/** A job that follows from another (curves → recommendations); a failure to enqueue is logged, not thrown. */
export async function enqueueFollowUp(name: JobName, orgId: string, reason: string) {
  try {
    await enqueue(name, { orgId, reason });
  } catch (e) {
    log.warn({ err: e, orgId, name }, "could not enqueue follow-up job");
  }
}

/** Imports trigger the recomputations that depend on them; failures to enqueue must not fail the import. */
export async function enqueueAfterImport(orgId: string, kind: "usage" | "quotes") {
  try {
    await enqueue(kind === "usage" ? JOBS.runForecasts : JOBS.rebuildCurves, { orgId, reason: `${kind} import` });
    if (kind === "usage") await enqueue(JOBS.rollupUsage, { orgId, reason: "usage import" });
  } catch (e) {
    log.warn({ err: e, orgId, kind }, "could not enqueue follow-up job");
  }
}
