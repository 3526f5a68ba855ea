import Decimal from "decimal.js";
import type { TeamRow } from "@/lib/services/hedging/chargebacks";
import type { TeamTableView } from "@/lib/validation/chargebacks";

export const TEAM_PAGE_SIZE = 50;
const byText = new Intl.Collator().compare;

/** Sorted copies of a statement's team rows, kept per (rows, key, direction): the statement is cached and shared, so is its order. */
const sortedCache = new WeakMap<readonly TeamRow[], Map<string, TeamRow[]>>();

/** The rows in the view's order, ties by team name A→Z in both directions; each amount is parsed once, not per comparison. */
function sorted(rows: readonly TeamRow[], { sort, dir }: Pick<TeamTableView, "sort" | "dir">): TeamRow[] {
  let byView = sortedCache.get(rows);
  if (!byView) sortedCache.set(rows, (byView = new Map()));
  const hit = byView.get(`${sort} ${dir}`);
  if (hit) return hit;
  const sign = dir === "asc" ? 1 : -1;
  let out: TeamRow[];
  if (sort === "teamName") out = [...rows].sort((a, b) => sign * byText(a.teamName, b.teamName));
  else if (sort === "tokens") {
    const keyed = rows.map((r) => ({ r, k: BigInt(r.tokens) }));
    out = keyed.sort((a, b) => sign * (a.k < b.k ? -1 : a.k > b.k ? 1 : 0) || byText(a.r.teamName, b.r.teamName)).map((x) => x.r);
  } else {
    const keyed = rows.map((r) => ({ r, k: new Decimal(r[sort]) }));
    out = keyed.sort((a, b) => sign * a.k.comparedTo(b.k) || byText(a.r.teamName, b.r.teamName)).map((x) => x.r);
  }
  byView.set(`${sort} ${dir}`, out);
  return out;
}

/**
 * One page of the all-teams table, sorted across every team, the page clamped to the last one. A large org has
 * thousands of teams: the page carries `pageSize` of them, and the footer's totals stay the whole org's.
 */
export function teamPage(rows: readonly TeamRow[], view: TeamTableView, pageSize = TEAM_PAGE_SIZE): { rows: TeamRow[]; page: number; pages: number; total: number } {
  const pages = Math.max(1, Math.ceil(rows.length / pageSize));
  const page = Math.min(Math.max(1, view.page), pages);
  const from = (page - 1) * pageSize;
  return { rows: sorted(rows, view).slice(from, from + pageSize), page, pages, total: rows.length };
}
