"use client";
import Link from "next/link";
import { fmtTokens } from "@/lib/format";
import type { CoverageGrid } from "./coverage-cells";

const STATUS_TEXT: Record<string, string> = { under: "under the band", over: "over the band", within: "within the band", noDemand: "no demand", noForecast: "no forecast", outsideTenor: "beyond the policy's tenor" };
const monthEnd = (m: string) => new Date(Date.UTC(Number(m.slice(0, 4)), Number(m.slice(5, 7)), 0)).toISOString().slice(0, 10);

/**
 * Class × month grid: coverage % of P50 with the band under it; under- and over-hedged cells highlighted (and said
 * in words for screen readers). A cell links to the contracts behind it; the class to its forecast. A client
 * component only so that the page carries the grid's data, not its markup, in React's payload (rendered on the
 * server all the same).
 */
export function CoverageTable({ view }: { view: CoverageGrid }) {
  return (
    <div className="table-wrap">
      <table className="data coverage" data-testid="coverage-table">
        <caption className="sr-only">Hedge coverage by model class and delivery month</caption>
        <thead>
          <tr>
            <th scope="col">Class</th>
            {view.months.map((m) => <th key={m} scope="col" className="num">{m}</th>)}
            <th scope="col" className="num">Total</th>
          </tr>
        </thead>
        <tbody>
          {view.classes.map((c) => {
            const total = view.totals.find((t) => t.classId === c.id);
            return (
              <tr key={c.id}>
                <th scope="row"><Link href={`/forecasts?class=${c.id}`} title="Forecast behind the demand figures">{c.name}</Link></th>
                {view.months.map((m) => {
                  const cell = view.cells.find((x) => x.classId === c.id && x.month === m)!;
                  const title = `${c.name} ${m}: contracted ${fmtTokens(cell.contractedTokens)}${cell.p50Tokens ? ` of P50 ${fmtTokens(cell.p50Tokens)} (P10 ${fmtTokens(cell.p10Tokens!)}, P90 ${fmtTokens(cell.p90Tokens!)})` : ""}${cell.pendingTokens !== "0" ? `; ${fmtTokens(cell.pendingTokens)} pending approval` : ""}${cell.bandMinPct !== null ? `; band ${cell.bandMinPct}–${cell.bandMaxPct}%` : ""}`;
                  const shown = cell.coveragePct !== null ? `${Number(cell.coveragePct).toFixed(0)}%` : cell.contractedTokens !== "0" ? fmtTokens(cell.contractedTokens) : "—";
                  return (
                    <td key={m} className={`num cov-${cell.status}`} title={title} data-status={cell.status}>
                      <Link href={`/contracts?modelClassId=${c.id}&from=${m}-01&to=${monthEnd(m)}`} aria-label={`${shown === "—" ? "none" : shown}, ${STATUS_TEXT[cell.status]}: ${title}`}>
                        {shown}
                      </Link>
                      <div className="band">{cell.bandMinPct !== null ? `${cell.bandMinPct}–${cell.bandMaxPct}%` : ""}</div>
                    </td>
                  );
                })}
                <td className="num">{total?.coveragePct !== null && total?.coveragePct !== undefined ? `${Number(total.coveragePct).toFixed(0)}%` : "—"}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
