import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { addModelPrice } from "@/lib/services/catalog";

export const POST = handle(api.addModelPrice, ({ ctx, params, body }) => addModelPrice(ctx, params.id, body));
