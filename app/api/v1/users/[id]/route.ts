import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { removeUser, updateUser } from "@/lib/services/admin";

export const PATCH = handle(api.updateUser, ({ ctx, params, body }) => updateUser(ctx, params.id, body));
export const DELETE = handle(api.removeUser, ({ ctx, params }) => removeUser(ctx, params.id));
