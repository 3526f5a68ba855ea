import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { requireOwned } from "@/lib/db/scope";
import { scenarioView } from "@/lib/services/hedging/dashboard";

export const GET = handle(api.scenario, async ({ ctx, query }) => {
  if (query.modelClassId) await requireOwned(ctx, "modelClass", query.modelClassId);
  return (await scenarioView(ctx, { spotChangePct: query.spotChangePct, demandChangePct: query.demandChangePct, classKey: query.modelClassId ?? null })) ?? { quarter: null, atP50: null, simulated: null };
});
