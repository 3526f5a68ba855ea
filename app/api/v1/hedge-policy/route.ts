import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { listPolicies, savePolicy } from "@/lib/services/hedging/policy";

export const GET = handle(api.hedgePolicy, ({ ctx }) => listPolicies(ctx.orgId));
export const PUT = handle(api.saveHedgePolicy, ({ ctx, body }) => savePolicy(ctx, body));
