import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { updateTeam } from "@/lib/services/admin";

export const PATCH = handle(api.updateTeam, ({ ctx, params, body }) => updateTeam(ctx, params.id, body));
