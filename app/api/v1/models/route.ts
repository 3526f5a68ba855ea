import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { createModel, listModels } from "@/lib/services/catalog";

export const GET = handle(api.listModels, ({ ctx }) => listModels(ctx));
export const POST = handle(api.createModel, ({ ctx, body }) => createModel(ctx, body));
