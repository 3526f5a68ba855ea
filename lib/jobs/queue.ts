import PgBoss from "pg-boss";
import { env } from "@/lib/env";
import { log } from "@/lib/log";

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
} as const;
export type JobName = (typeof JOBS)[keyof typeof JOBS];

const g = globalThis as unknown as { __boss?: Promise<PgBoss> };

/** A sender-only pg-boss for web processes: no maintenance or cron, that is the worker's job. */
export function sender(): Promise<PgBoss> {
  return (g.__boss ??= (async () => {
    const boss = new PgBoss({ connectionString: env().DATABASE_URL, supervise: false, schedule: false, max: 2 });
    boss.on("error", (e) => log.error({ err: e }, "pg-boss error"));
    await boss.start();
    for (const name of Object.values(JOBS)) await boss.createQueue(name);
    return boss;
  })());
}

export async function enqueue(name: JobName, data: { orgId?: string; reason?: string } = {}) {
  const boss = await sender();
  // singletonKey: at most one queued run per org and job, however many imports arrive at once
  return boss.send(name, data, { singletonKey: `${name}:${data.orgId ?? "all"}`, retryLimit: 2 });
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
