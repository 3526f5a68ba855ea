import { prisma } from "@/lib/db/client";
import { JOBS, type JobName } from "./queue";
import { logJobRun } from "./run";
import { rebuildCurves } from "@/lib/services/curves";
import { runForecasts } from "@/lib/services/forecast-run";
import { runRecommendations } from "@/lib/services/hedging/recommendations";
import { rollupUsage } from "@/lib/services/usage-rollup";
import { runSettlements } from "@/lib/services/hedging/settlements";
import { runMarks } from "@/lib/services/hedging/marks";
import { enqueueFollowUp } from "./queue";
import { pruneImportLeftovers } from "@/lib/services/usage-store";

type JobData = { orgId?: string; reason?: string };

/** Runs a per-org job for one org, or for every org when none is given (nightly schedule). */
async function perOrg(name: string, data: JobData, fn: (orgId: string) => Promise<object>) {
  const orgIds = data.orgId ? [data.orgId] : (await prisma.organization.findMany({ select: { id: true } })).map((o) => o.id);
  for (const orgId of orgIds) await logJobRun(name, orgId, () => fn(orgId));
}

export const HANDLERS: Partial<Record<JobName, (data: JobData) => Promise<void>>> = {
  [JOBS.pruneLoginAttempts]: async () => {
    await logJobRun(JOBS.pruneLoginAttempts, null, async () => {
      const r = await prisma.loginAttempt.deleteMany({ where: { createdAt: { lt: new Date(Date.now() - 24 * 3600 * 1000) } } });
      return { deleted: r.count };
    });
  },
  [JOBS.pruneImportLeftovers]: async () => {
    await logJobRun(JOBS.pruneImportLeftovers, null, () => pruneImportLeftovers(new Date()));
  },
  // forecasts and curves feed the recommendations: each run queues a fresh recommendation run for its org
  [JOBS.rebuildCurves]: (data) => perOrg(JOBS.rebuildCurves, data, async (orgId) => {
    const r = await rebuildCurves(orgId, new Date());
    await enqueueFollowUp(JOBS.runRecommendations, orgId, "curve rebuild");
    await enqueueFollowUp(JOBS.computeMarks, orgId, "curve rebuild");
    return r;
  }),
  [JOBS.runForecasts]: (data) => perOrg(JOBS.runForecasts, data, async (orgId) => {
    const r = await runForecasts(orgId, new Date());
    await enqueueFollowUp(JOBS.runRecommendations, orgId, "forecast run");
    return r;
  }),
  [JOBS.rollupUsage]: (data) => perOrg(JOBS.rollupUsage, data, (orgId) => rollupUsage(orgId)),
  [JOBS.runRecommendations]: (data) => perOrg(JOBS.runRecommendations, data, (orgId) => runRecommendations(orgId, new Date())),
  [JOBS.runSettlements]: (data) => perOrg(JOBS.runSettlements, data, (orgId) => runSettlements(orgId, new Date())),
  [JOBS.computeMarks]: (data) => perOrg(JOBS.computeMarks, data, (orgId) => runMarks(orgId, new Date())),
};

/** Nightly or hourly, UTC. */
export const SCHEDULES: { name: JobName; cron: string }[] = [
  { name: JOBS.pruneLoginAttempts, cron: "15 2 * * *" },
  { name: JOBS.pruneImportLeftovers, cron: "20 * * * *" },
  { name: JOBS.rebuildCurves, cron: "30 1 * * *" },
  { name: JOBS.runForecasts, cron: "0 2 * * *" },
  { name: JOBS.runRecommendations, cron: "30 2 * * *" },
  { name: JOBS.runSettlements, cron: "0 3 * * *" },
  // after the nightly curve rebuild (which also queues it) and settlements
  { name: JOBS.computeMarks, cron: "15 3 * * *" },
];

