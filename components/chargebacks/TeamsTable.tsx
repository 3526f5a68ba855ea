"use client";
import Decimal from "decimal.js";
import Link from "next/link";
import { useMemo, useState } from "react";
import { fmtCount, fmtTokens, fmtUsd } from "@/lib/format";
import type { MoneyTotals, TeamRow } from "@/lib/services/hedging/chargebacks";
import { PageButtons } from "@/components/ui/PageButtons";
import { fmtSigned } from "./labels";

const PAGE_SIZE = 50;
type Key = "teamName" | "tokens" | "benchmarkUsd" | "hedgeUsd" | "chargeUsd";
const COLUMNS: { key: Key; label: string; numeric: boolean }[] = [
  { key: "teamName", label: "Team", numeric: false },
  { key: "tokens", label: "Tokens", numeric: true },
  { key: "benchmarkUsd", label: "", numeric: true },
  { key: "hedgeUsd", label: "Hedge effect", numeric: true },
  { key: "chargeUsd", label: "Hedged charge", numeric: true },
];

const compare = (key: Key) => (a: TeamRow, b: TeamRow) =>
  key === "teamName" ? a.teamName.localeCompare(b.teamName) : key === "tokens" ? (BigInt(a.tokens) < BigInt(b.tokens) ? -1 : BigInt(a.tokens) > BigInt(b.tokens) ? 1 : 0) : new Decimal(a[key]).comparedTo(b[key]);

/**
 * All teams side by side, sortable from the keyboard (header buttons); the footer reconciles the teams' charges
 * to the organization's cost (with any hedge result no team could carry on its own line).
 */
export function TeamsTable({ rows, totals, org, period, benchmarkLabel }: { rows: TeamRow[]; totals: MoneyTotals; org: { costUsd: string; unallocatedUsd: string }; period: string; benchmarkLabel: string }) {
  const [sort, setSortState] = useState<{ key: Key; dir: "asc" | "desc" }>({ key: "chargeUsd", dir: "desc" });
  const [page, setPage] = useState(0);
  const setSort = (s: { key: Key; dir: "asc" | "desc" }) => {
    setSortState(s);
    setPage(0);
  };
  const sorted = useMemo(() => [...rows].sort((a, b) => (sort.dir === "asc" ? 1 : -1) * compare(sort.key)(a, b) || a.teamName.localeCompare(b.teamName)), [rows, sort]);
  // a large org has thousands of teams: PAGE_SIZE rows at a time, sorted across all of them
  const pages = Math.max(1, Math.ceil(sorted.length / PAGE_SIZE));
  const shown = sorted.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE);
  const unallocated = new Decimal(org.unallocatedUsd);
  return (
    <div className="table-wrap">
      <table className="data" aria-label="Chargebacks by team">
        <thead>
          <tr>
            {COLUMNS.map((c) => {
              const active = sort.key === c.key;
              return (
                <th key={c.key} className={c.numeric ? "num" : undefined} aria-sort={active ? (sort.dir === "asc" ? "ascending" : "descending") : undefined}>
                  <button type="button" onClick={() => setSort({ key: c.key, dir: active && sort.dir === "desc" ? "asc" : active ? "desc" : c.numeric ? "desc" : "asc" })}>
                    {c.label || benchmarkLabel}
                    {active ? (sort.dir === "asc" ? " ▲" : " ▼") : ""}
                  </button>
                </th>
              );
            })}
            <th>Cost center</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((r) => (
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
      {pages > 1 && (
        <PageButtons canPrevious={page > 0} canNext={page < pages - 1} onPrevious={() => setPage((p) => Math.max(0, p - 1))} onNext={() => setPage((p) => Math.min(pages - 1, p + 1))}>
          Teams {fmtCount(page * PAGE_SIZE + 1)}–{fmtCount(page * PAGE_SIZE + shown.length)} of {fmtCount(sorted.length)} (page {page + 1} of {pages})
        </PageButtons>
      )}
    </div>
  );
}
