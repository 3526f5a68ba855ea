import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { createAlias } from "@/lib/services/mappings";

export const POST = handle(api.addAlias, ({ ctx, body }) => createAlias(ctx, body));
