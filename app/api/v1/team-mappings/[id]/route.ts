import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { deleteMapping } from "@/lib/services/mappings";

export const DELETE = handle(api.deleteMapping, ({ ctx, params }) => deleteMapping(ctx, params.id));
