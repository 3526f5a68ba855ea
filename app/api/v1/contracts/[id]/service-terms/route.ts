import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { amendServiceTerms } from "@/lib/services/hedging/contracts";

export const PUT = handle(api.amendServiceTerms, ({ ctx, params, body }) => amendServiceTerms(ctx, params.id, body));
