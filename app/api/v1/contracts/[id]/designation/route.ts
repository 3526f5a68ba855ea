import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { designateHedge, hedgeAccounting } from "@/lib/services/hedging/accounting";

export const GET = handle(api.hedgeDesignation, ({ ctx, params }) => hedgeAccounting(ctx, params.id));

export const POST = handle(api.designateHedge, ({ ctx, params, body }) => designateHedge(ctx, params.id, body));
