import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { cancelContract, contractDetail } from "@/lib/services/hedging/contracts";

export const GET = handle(api.getContract, ({ ctx, params }) => contractDetail(ctx, params.id));
export const DELETE = handle(api.cancelContract, ({ ctx, params, query }) => cancelContract(ctx, params.id, query.comment ?? null));
