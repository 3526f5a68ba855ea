import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { createApiToken, listApiTokens } from "@/lib/services/admin";

export const GET = handle(api.listApiTokens, ({ ctx }) => listApiTokens(ctx));
export const POST = handle(api.createApiToken, ({ ctx, body }) => createApiToken(ctx, body));
