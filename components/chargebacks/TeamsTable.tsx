import Decimal from "decimal.js";
import Link from "next/link";
import { fmtTokens, fmtUsd } from "@/lib/format";
import type { MoneyTotals, TeamRow } from "@/lib/services/hedging/chargebacks";
import { defaultDir, type TeamSortKey, type TeamTableView } from "@/lib/validation/chargebacks";
import { Pager } from "@/components/ui/Pager";
import { fmtSigned } from "./labels";
import { TEAM_PAGE_SIZE, teamPage } from "./team-page";

const COLUMNS: { key: TeamSortKey; label: string; numeric: boolean }[] = [
  { key: "teamName", label: "Team", numeric: false },
  { key: "tokens", label: "Tokens", numeric: true },
  { key: "benchmarkUsd", label: "", numeric: true },
  { key: "hedgeUsd", label: "Hedge effect", numeric: true },
  { key: "chargeUsd", label: "Hedged charge", numeric: true },
];

/**
 * All teams side by side, sorted and paged on the server (?sort=&dir=&page=; a large org has thousands of teams and
 * the page carries one page of them). The header links sort across every team; the footer reconciles all teams'
 * charges to the organization's cost (with any hedge result no team could carry on its own line).
 */
export function TeamsTable({ rows, view, totals, org, period, benchmarkLabel }: { rows: readonly TeamRow[]; view: TeamTableView; totals: MoneyTotals; org: { costUsd: string; unallocatedUsd: string }; period: string; benchmarkLabel: string }) {
  const shown = teamPage(rows, view);
  const href = (sort: TeamSortKey, dir: "asc" | "desc", page?: number) =>
    `/chargebacks?${new URLSearchParams({ period, sort, dir, ...(page ? { page: String(page) } : {}) }).toString()}`;
  const unallocated = new Decimal(org.unallocatedUsd);
  return (
    <div className="table-wrap" id="teams">
      <table className="data" aria-label="Chargebacks by team">
        <thead>
          <tr>
            {COLUMNS.map((c) => {
              const active = view.sort === c.key;
              const next = active ? (view.dir === "asc" ? "desc" : "asc") : defaultDir(c.key);
              return (
                <th key={c.key} className={c.numeric ? "num" : undefined} aria-sort={active ? (view.dir === "asc" ? "ascending" : "descending") : undefined}>
                  <Link href={href(c.key, next)} scroll={false} className="sort">
                    {c.label || benchmarkLabel}
                    {active ? (view.dir === "asc" ? " ▲" : " ▼") : ""}
                  </Link>
                </th>
              );
            })}
            <th>Cost center</th>
          </tr>
        </thead>
        <tbody>
          {shown.rows.map((r) => (
            <tr key={r.teamId}>
              <td><Link href={`/chargebacks?period=${encodeURIComponent(period)}&team=${encodeURIComponent(r.teamId)}`} aria-label={`${r.teamName}: statement`}>{r.teamName}</Link></td>
              <td className="num">{fmtTokens(r.tokens)}</td>
              <td className="num">{fmtUsd(r.benchmarkUsd)}</td>
              <td className="num">{fmtSigned(r.hedgeUsd)}</td>
              <td className="num">{fmtUsd(r.chargeUsd)}</td>
              <td>{r.costCenter ?? <span className="muted">—</span>}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">All teams</th>
            <td className="num">{fmtTokens(totals.tokens)}</td>
            <td className="num">{fmtUsd(totals.benchmarkUsd)}</td>
            <td className="num">{fmtSigned(totals.hedgeUsd)}</td>
            <td className="num" data-testid="teams-total">{fmtUsd(totals.chargeUsd)}</td>
            <td />
          </tr>
          {!unallocated.isZero() && (
            <tr>
              <th scope="row">Not allocated to a team</th>
              <td className="num" /><td className="num" />
              <td className="num">{fmtSigned(org.unallocatedUsd)}</td>
              <td className="num">{fmtUsd(org.unallocatedUsd)}</td>
              <td />
            </tr>
          )}
          <tr>
            <th scope="row">Organization&apos;s cost</th>
            <td className="num" /><td className="num" /><td className="num" />
            <td className="num" data-testid="org-cost">{fmtUsd(org.costUsd)}</td>
            <td />
          </tr>
        </tfoot>
      </table>
      <Pager page={shown.page} pageSize={TEAM_PAGE_SIZE} total={shown.total} base={href(view.sort, view.dir)} noun="teams" scroll={false} />
    </div>
  );
}
