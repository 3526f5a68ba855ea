import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { removeUser } from "@/lib/services/admin";

export const DELETE = handle(api.removeUser, ({ ctx, params }) => removeUser(ctx, params.id));
