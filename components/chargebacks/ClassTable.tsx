import { Fragment } from "react";
import { fmtTokens, fmtUsd } from "@/lib/format";
import type { ClassRow } from "@/lib/services/hedging/chargebacks";
import { BASIS_SHORT, fmtRate, fmtSigned } from "./labels";

const kind = (s: "FINANCIAL" | "SERVICE_CREDITS") => (s === "FINANCIAL" ? "financial" : "service credits");

/** One contract's month in words: what it did and how much of it lands on this statement. */
function ContractLine({ c, team }: { c: ClassRow["contracts"][number]; team: string | null }) {
  const what =
    c.settlement === "FINANCIAL"
      ? `settled ${fmtSigned(c.settlementUsd)} to the organization`
      : `${fmtTokens(c.creditsUsedTokens ?? "0")} credits used (${fmtUsd(c.settlementUsd)} at strike), ${fmtTokens(c.creditsForfeitedTokens ?? "0")} forfeited (${fmtUsd(c.forfeitedUsd)}), replacing ${fmtUsd(c.replacedUsd)} of usage at the benchmark`;
  return (
    <li>
      <strong>{c.reference}</strong> ({kind(c.settlement)}, {c.month}, {fmtTokens(c.quantityTokens)} tokens at {fmtRate(c.strikeUsdPerMTokens)}): {what}; effect on the
      organization&apos;s cost {fmtSigned(c.resultUsd)}, {BASIS_SHORT[c.basis]}{c.sharePct !== null && team ? ` — ${team}'s share ${c.sharePct}%` : ""}.
    </li>
  );
}

/**
 * Per model class: tokens, benchmark and hedged charge with their rates per 1M tokens, and the contracts behind the
 * difference. `team`: whose statement it is ("your team" or a team's name), null for the organization.
 */
export function ClassTable({ rows, benchmarkLabel, team }: { rows: ClassRow[]; benchmarkLabel: string; team: string | null }) {
  if (!rows.length) return <div className="empty">No usage in this period.</div>;
  return (
    <div className="table-wrap">
      <table className="data" aria-label="By model class">
        <thead>
          <tr>
            <th>Model class</th><th className="num">Tokens</th><th className="num">{benchmarkLabel}</th><th className="num">Benchmark rate</th>
            <th className="num">Hedge effect</th><th className="num">Hedged charge</th><th className="num">{team ? "Hedged rate" : "Hedged blended rate"}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <Fragment key={r.modelClassId}>
              <tr>
                <td>{r.name}</td><td className="num">{fmtTokens(r.tokens)}</td><td className="num">{fmtUsd(r.benchmarkUsd)}</td><td className="num">{fmtRate(r.benchmarkRate)}</td>
                <td className="num">{fmtSigned(r.hedgeUsd)}</td><td className="num">{fmtUsd(r.chargeUsd)}</td><td className="num">{fmtRate(r.chargeRate)}</td>
              </tr>
              {(r.contracts.length > 0 || r.pending.length > 0) && (
                <tr className="why">
                  <td colSpan={7}>
                    <ul className="contracts">
                      {r.contracts.map((c) => <ContractLine key={`${c.reference}-${c.month}`} c={c} team={team} />)}
                      {r.pending.map((p) => (
                        <li key={`${p.reference}-${p.month}`}><strong>{p.reference}</strong> ({kind(p.settlement)}, {p.month}): not settled yet — provisional, charged at the benchmark until it settles.</li>
                      ))}
                    </ul>
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}
