import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { createModelClass, listModelClasses } from "@/lib/services/catalog";

export const GET = handle(api.listModelClasses, ({ ctx }) => listModelClasses(ctx));
export const POST = handle(api.createModelClass, ({ ctx, body }) => createModelClass(ctx, body));
