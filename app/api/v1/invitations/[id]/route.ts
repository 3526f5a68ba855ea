import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { revokeInvitation } from "@/lib/services/identity";

export const DELETE = handle(api.revokeInvitation, ({ ctx, params }) => revokeInvitation(ctx, params.id));
