import { describe, expect, it } from "vitest";
import type { TeamRow } from "@/lib/services/hedging/chargebacks";
import { parseTeamTableView } from "@/lib/validation/chargebacks";
import { teamPage } from "./team-page";

const row = (teamName: string, chargeUsd: string, tokens: string): TeamRow => ({ teamId: `id-${teamName}`, teamName, costCenter: null, tokens, benchmarkUsd: chargeUsd, hedgeUsd: "0.00", chargeUsd });
const rows = [row("delta", "10.00", "9"), row("Alpha", "2.50", "100"), row("charlie", "10.00", "10"), row("bravo", "-1.00", "80"), row("echo", "9.99", "1000000000000000000000")];
const names = (r: TeamRow[]) => r.map((x) => x.teamName);

describe("teamPage", () => {
  it("sorts amounts as numbers, largest first by default, ties A→Z in both directions", () => {
    expect(names(teamPage(rows, parseTeamTableView({})).rows)).toEqual(["charlie", "delta", "echo", "Alpha", "bravo"]);
    expect(names(teamPage(rows, parseTeamTableView({ sort: "chargeUsd", dir: "asc" })).rows)).toEqual(["bravo", "Alpha", "echo", "charlie", "delta"]);
  });
  it("sorts token counts beyond 2^53 exactly and names case-insensitively", () => {
    expect(names(teamPage(rows, parseTeamTableView({ sort: "tokens" })).rows)).toEqual(["echo", "Alpha", "bravo", "charlie", "delta"]);
    expect(names(teamPage(rows, parseTeamTableView({ sort: "teamName" })).rows)).toEqual(["Alpha", "bravo", "charlie", "delta", "echo"]);
  });
  it("pages across the whole order and clamps a page past the end to the last one", () => {
    const view = parseTeamTableView({ sort: "teamName", page: "2" });
    expect(teamPage(rows, view, 2)).toMatchObject({ page: 2, pages: 3, total: 5 });
    expect(names(teamPage(rows, view, 2).rows)).toEqual(["charlie", "delta"]);
    expect(names(teamPage(rows, parseTeamTableView({ sort: "teamName", page: "99" }), 2).rows)).toEqual(["echo"]);
  });
  it("reads a bad view as the default one instead of failing the page", () => {
    expect(parseTeamTableView({ sort: "password", dir: "sideways", page: "-3" })).toEqual({ sort: "chargeUsd", dir: "desc", page: 1 });
    expect(parseTeamTableView({ sort: "teamName" })).toEqual({ sort: "teamName", dir: "asc", page: 1 });
  });
});

describe("TeamsTable", () => {
  it("renders one page of a large org's teams, with the whole org's totals and links that keep the period and order", async () => {
    const { createElement } = await import("react");
    const { renderToStaticMarkup } = await import("react-dom/server");
    const { TeamsTable } = await import("./TeamsTable");
    const many = Array.from({ length: 120 }, (_, i) => row(`Team ${String(i).padStart(3, "0")}`, `${i}.00`, String(i)));
    const html = renderToStaticMarkup(
      createElement(TeamsTable, { rows: many, view: parseTeamTableView({ sort: "teamName", page: "3" }), totals: { tokens: "7140", benchmarkUsd: "7140.00", hedgeUsd: "0.00", chargeUsd: "7140.00" }, org: { costUsd: "7140.00", unallocatedUsd: "0.00" }, period: "2026-10", benchmarkLabel: "Spot benchmark" }),
    );
    const body = html.slice(html.indexOf("<tbody>"), html.indexOf("</tbody>"));
    expect(body.match(/<tr>/g)).toHaveLength(20);
    expect(body).toContain("Team 100");
    expect(body).not.toContain("Team 099");
    expect(html).toContain("101–120 of 120 teams, page 3 of 3");
    expect(html).toContain('href="/chargebacks?period=2026-10&amp;sort=teamName&amp;dir=asc&amp;page=2"');
    expect(html).toContain('aria-sort="ascending"');
    expect(html).toContain('data-testid="teams-total">$7,140.00');
  });
});
