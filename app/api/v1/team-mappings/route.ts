import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { createMapping, listMappings } from "@/lib/services/mappings";

export const GET = handle(api.listMappings, ({ ctx }) => listMappings(ctx));
export const POST = handle(api.createMapping, ({ ctx, body }) => createMapping(ctx, body));
