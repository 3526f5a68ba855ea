import { prisma } from "@/lib/db/client";
import { JOBS, type JobName } from "./queue";
import { logJobRun } from "./run";
import type { JobSession } from "./lock";
import { rebuildCurves } from "@/lib/services/curves";
import { runForecasts } from "@/lib/services/forecast-run";
import { runRecommendations } from "@/lib/services/hedging/recommendations";
import { rollupUsage } from "@/lib/services/usage-rollup";
import { runSettlements } from "@/lib/services/hedging/settlements";
import { runMarks } from "@/lib/services/hedging/marks";
import { enqueue, enqueueFollowUp } from "./queue";
import { pruneImportLeftovers } from "@/lib/services/usage-store";
import { syncConnector, syncOrgConnectors } from "@/lib/services/connectors/connectors";

type JobData = { orgId?: string; reason?: string; connectorId?: string };

/**
 * Runs a per-org job for one org. Without one (the nightly schedule) it queues one job per org instead of running
 * them all here: each org's run then has its own expiry, retry and worker, and the queue's expiry stays a few
 * times one org's run however many orgs there are. Each org's run holds the job × org run lock (logJobRun), so the
 * same job for the same org never runs twice at once on any worker.
 */
async function perOrg(name: JobName, data: JobData, fn: (orgId: string) => Promise<object>, session?: JobSession) {
  if (data.orgId) {
    await logJobRun(name, data.orgId, () => fn(data.orgId!), session);
    return;
  }
  await logJobRun(name, null, async () => {
    const orgs = await prisma.organization.findMany({ select: { id: true } });
    for (const o of orgs) await enqueue(name, { orgId: o.id, reason: data.reason ?? "schedule" });
    return { queuedOrgs: orgs.length };
  }, session);
}

/** Handlers by queue; the worker passes the session holding the job's locks, tests call them without one. */
export const HANDLERS: Partial<Record<JobName, (data: JobData, session?: JobSession) => Promise<void>>> = {
  [JOBS.pruneLoginAttempts]: async (_data, session) => {
    await logJobRun(JOBS.pruneLoginAttempts, null, async () => {
      const r = await prisma.loginAttempt.deleteMany({ where: { createdAt: { lt: new Date(Date.now() - 24 * 3600 * 1000) } } });
      return { deleted: r.count };
    }, session);
  },
  [JOBS.pruneImportLeftovers]: async (_data, session) => {
    await logJobRun(JOBS.pruneImportLeftovers, null, () => pruneImportLeftovers(new Date()), session);
  },
  // forecasts and curves feed the recommendations: each run queues a fresh recommendation run for its org
  [JOBS.rebuildCurves]: (data, session) => perOrg(JOBS.rebuildCurves, data, async (orgId) => {
    const r = await rebuildCurves(orgId, new Date());
    await enqueueFollowUp(JOBS.runRecommendations, orgId, "curve rebuild");
    await enqueueFollowUp(JOBS.computeMarks, orgId, "curve rebuild");
    // the monthly read model's spot benchmark (chargebacks) is re-priced from the rebuilt day on
    await enqueueFollowUp(JOBS.rollupUsage, orgId, "curve rebuild");
    return r;
  }, session),
  [JOBS.runForecasts]: (data, session) => perOrg(JOBS.runForecasts, data, async (orgId) => {
    const r = await runForecasts(orgId, new Date());
    await enqueueFollowUp(JOBS.runRecommendations, orgId, "forecast run");
    return r;
  }, session),
  [JOBS.rollupUsage]: (data, session) => perOrg(JOBS.rollupUsage, data, (orgId) => rollupUsage(orgId, { onlyIfBehind: true }), session),
  [JOBS.runRecommendations]: (data, session) => perOrg(JOBS.runRecommendations, data, (orgId) => runRecommendations(orgId, new Date()), session),
  [JOBS.runSettlements]: (data, session) => perOrg(JOBS.runSettlements, data, (orgId) => runSettlements(orgId, new Date()), session),
  [JOBS.computeMarks]: (data, session) => perOrg(JOBS.computeMarks, data, (orgId) => runMarks(orgId, new Date()), session),
  // "Sync now" names one connector; the nightly run syncs every enabled connector of each org (same run lock)
  [JOBS.syncConnectors]: (data, session) =>
    data.orgId && data.connectorId
      ? logJobRun(JOBS.syncConnectors, data.orgId, () => syncConnector(data.orgId!, data.connectorId!, { trigger: data.reason ?? "manual" }), session).then(() => undefined)
      : perOrg(JOBS.syncConnectors, data, (orgId) => syncOrgConnectors(orgId, { trigger: "schedule" }), session),
};

/** Nightly or hourly, UTC. */
export const SCHEDULES: { name: JobName; cron: string }[] = [
  { name: JOBS.pruneLoginAttempts, cron: "15 2 * * *" },
  { name: JOBS.pruneImportLeftovers, cron: "20 * * * *" },
  { name: JOBS.rebuildCurves, cron: "30 1 * * *" },
  // a safety net: imports and curve rebuilds queue it themselves; nothing to do when the read models are current
  { name: JOBS.rollupUsage, cron: "50 1 * * *" },
  { name: JOBS.runForecasts, cron: "0 2 * * *" },
  { name: JOBS.runRecommendations, cron: "30 2 * * *" },
  { name: JOBS.runSettlements, cron: "0 3 * * *" },
  // after the nightly curve rebuild (which also queues it) and settlements
  { name: JOBS.computeMarks, cron: "15 3 * * *" },
  // usage connectors, before the nightly forecasts (each completed sync also queues them)
  { name: JOBS.syncConnectors, cron: "30 0 * * *" },
];

