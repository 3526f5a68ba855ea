import { handle } from "@/lib/api/handler";
import { jsonResponse } from "@/lib/api/json";
import { api } from "@/lib/api/spec";
import { rejectContract } from "@/lib/services/hedging/contracts";

export const POST = handle(api.rejectContract, async ({ ctx, params, body }) => jsonResponse(await rejectContract(ctx, params.id, body.comment), 200));
