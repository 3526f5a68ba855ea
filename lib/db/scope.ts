/**
 * Org and team scoping, in one place. Every service narrows its queries through these helpers:
 * - teamScope: the one rule for "a team lead sees only their team";
 * - findOwned / requireOwned: "this id belongs to the session's org" (foreign or unknown ids look the same: 404).
 */
import type { Ctx } from "@/lib/auth/context";
import { badRequest, forbidden, notFound } from "@/lib/errors";
import { prisma, type Db } from "./client";

/** A team lead's membership without a team may see no team at all: this id matches no row. */
const NO_TEAM = "00000000-no-team";

/**
 * The team a query is restricted to: a team lead is pinned to their own team (asking for another is a 403),
 * everyone else gets what they asked for, or null for "all teams".
 */
export function teamScope(ctx: Ctx, requested?: string | null): string | null {
  if (ctx.role !== "TEAM_LEAD") return requested ?? null;
  if (requested && requested !== ctx.teamId) throw forbidden("Team leads see only their own team");
  return ctx.teamId ?? NO_TEAM;
}

/** A Prisma `where` fragment on a teamId column for the session (empty for roles that see every team). */
export function teamWhere(ctx: Ctx, requested?: string | null, column = "teamId"): Record<string, string> {
  const t = teamScope(ctx, requested);
  return t ? { [column]: t } : {};
}

type Owned = "team" | "modelClass" | "model" | "provider" | "counterparty" | "contract" | "recommendation" | "import" | "teamMapping" | "apiToken";
const LABEL: Record<Owned, string> = {
  team: "Team", modelClass: "Model class", model: "Model", provider: "Provider", counterparty: "Counterparty", contract: "Contract",
  recommendation: "Recommendation", import: "Import", teamMapping: "Team mapping", apiToken: "API token",
};

type Delegate = { findFirst: (args: { where: { id: string; organizationId: string }; select?: Record<string, boolean> }) => Promise<unknown> };

/** The row with this id in the session's org, or null. */
export async function findOwned(ctx: Pick<Ctx, "orgId">, what: Owned, id: string, db: Db = prisma): Promise<{ id: string } | null> {
  const delegate = (db as unknown as Record<Owned, Delegate>)[what];
  return (await delegate.findFirst({ where: { id, organizationId: ctx.orgId }, select: { id: true } })) as { id: string } | null;
}

/**
 * Throws unless the id belongs to the session's org: a 404 for ids in a path or query, a 422 naming the body
 * field for ids inside a request body (`field` given).
 */
export async function requireOwned(ctx: Pick<Ctx, "orgId">, what: Owned, id: string, opts: { field?: string; db?: Db } = {}) {
  const row = await findOwned(ctx, what, id, opts.db);
  if (row) return row;
  if (opts.field) throw badRequest(`${opts.field}: no such ${LABEL[what].toLowerCase()} in this organization`, [{ path: `body.${opts.field}`, message: `no such ${LABEL[what].toLowerCase()}` }]);
  throw notFound(LABEL[what]);
}
