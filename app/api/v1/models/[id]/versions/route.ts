import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { addModelVersion } from "@/lib/services/catalog";

export const POST = handle(api.addModelVersion, ({ ctx, params, body }) => addModelVersion(ctx, params.id, body));
