import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { createTeam, listTeams } from "@/lib/services/admin";

export const GET = handle(api.listTeams, ({ ctx, query }) => listTeams(ctx, { q: query.q, limit: query.limit, includeArchived: query.includeArchived === "true" }));
export const POST = handle(api.createTeam, ({ ctx, body }) => createTeam(ctx, body));
