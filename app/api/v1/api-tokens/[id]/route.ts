import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { revokeApiToken } from "@/lib/services/admin";

export const DELETE = handle(api.revokeApiToken, ({ ctx, params }) => revokeApiToken(ctx, params.id));
