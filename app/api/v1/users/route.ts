import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { createUser, listUsers } from "@/lib/services/admin";

export const GET = handle(api.listUsers, ({ ctx }) => listUsers(ctx));
export const POST = handle(api.createUser, ({ ctx, body }) => createUser(ctx, body));
