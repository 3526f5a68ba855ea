import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { addQualityScore } from "@/lib/services/catalog";

export const POST = handle(api.addQualityScore, ({ ctx, params, body }) => addQualityScore(ctx, params.id, body));
