import { handle } from "@/lib/api/handler";
import { jsonResponse } from "@/lib/api/json";
import { api } from "@/lib/api/spec";
import { approveContract } from "@/lib/services/hedging/contracts";

export const POST = handle(api.approveContract, async ({ ctx, params, body }) => jsonResponse(await approveContract(ctx, params.id, body.comment ?? null), 200));
