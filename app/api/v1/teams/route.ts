import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { createTeam, listTeams } from "@/lib/services/admin";

export const GET = handle(api.listTeams, ({ ctx }) => listTeams(ctx));
export const POST = handle(api.createTeam, ({ ctx, body }) => createTeam(ctx, body));
