import { z } from "zod";
import { id } from "./common";

/** A statement period: a calendar month YYYY-MM or a quarter YYYY-Qn. */
export const chargebackPeriod = z
  .string()
  .trim()
  .regex(/^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$/, "must be a month YYYY-MM or a quarter YYYY-Qn")
  .refine((v) => v >= "2000" && v < "2101", "must be between 2000 and 2100");

export const chargebacksQuery = z
  .object({
    period: chargebackPeriod,
    /** a team's statement; team leads may only name their own team (it is the default for them) */
    teamId: id.optional(),
    format: z.enum(["json", "csv"]).default("json"),
  })
  .strict();
export type ChargebacksQuery = z.output<typeof chargebacksQuery>;

/** The all-teams table's view (/chargebacks?sort=&dir=&page=): sorted and paged on the server, never in the browser. */
export const TEAM_SORT_KEYS = ["teamName", "tokens", "benchmarkUsd", "hedgeUsd", "chargeUsd"] as const;
export type TeamSortKey = (typeof TEAM_SORT_KEYS)[number];
export const teamTableView = z.object({
  sort: z.enum(TEAM_SORT_KEYS).catch("chargeUsd"),
  dir: z.enum(["asc", "desc"]).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(1_000_000).catch(1),
});
export type TeamTableView = { sort: TeamSortKey; dir: "asc" | "desc"; page: number };
/** A column's first click: names A→Z, amounts largest first. */
export const defaultDir = (key: TeamSortKey): "asc" | "desc" => (key === "teamName" ? "asc" : "desc");
export function parseTeamTableView(sp: Record<string, string | undefined>): TeamTableView {
  const v = teamTableView.parse({ sort: sp.sort ?? "chargeUsd", dir: sp.dir, page: sp.page ?? 1 });
  return { sort: v.sort, dir: v.dir ?? defaultDir(v.sort), page: v.page };
}
