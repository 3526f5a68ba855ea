import { handle } from "@/lib/api/handler";
import { jsonResponse } from "@/lib/api/json";
import { api } from "@/lib/api/spec";
import { evaluateCustom } from "@/lib/services/hedging/recommendations";

// an evaluation creates nothing: 200, not 201
export const POST = handle(api.evaluateHedge, async ({ ctx, body }) => jsonResponse(await evaluateCustom(ctx, body), 200));
