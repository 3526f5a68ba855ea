import Link from "next/link";
import type { CapacityView } from "@/lib/services/hedging/capacity";
import { fmtTokens } from "@/lib/format";

const STATUS_TEXT = { SHORT: "short", COVERED: "covered", UNRESERVED: "no reservation", NO_DEMAND: "no demand", NO_HISTORY: "no usage" } as const;
const STATUS_CLASS = { SHORT: "cov-under", COVERED: "cov-within", UNRESERVED: "", NO_DEMAND: "", NO_HISTORY: "" } as const;
const tpm = (v: string | null) => (v === null ? "—" : fmtTokens(v));

/**
 * Forecast peak demand vs reserved throughput (tokens per minute) per class and month. `compact`: one line per
 * class (the CFO dashboard); otherwise a month-by-month grid with the basis of each class's peak.
 */
export function CapacityTable({ view, compact = false }: { view: CapacityView; compact?: boolean }) {
  const classes = view.classes.filter((c) => c.granularity !== null);
  if (!classes.length) return <div className="empty">No usage yet: peak demand is measured from imported usage (hourly files give the busiest hour).</div>;
  if (compact) {
    return (
      <div className="table-wrap">
        <table className="data" data-testid="capacity-compact">
          <caption className="sr-only">Reserved capacity against forecast peak demand, next 12 months</caption>
          <thead><tr><th scope="col">Class</th><th scope="col">Measured on</th><th scope="col" className="num">Peak now / min</th><th scope="col" className="num">Largest shortfall / min</th><th scope="col">Months short</th></tr></thead>
          <tbody>
            {classes.map((c) => {
              const short = c.months.filter((m) => m.status === "SHORT");
              const worst = short.reduce<bigint>((w, m) => (BigInt(m.shortfallTokensPerMinute) > w ? BigInt(m.shortfallTokensPerMinute) : w), 0n);
              const unreserved = c.months.every((m) => m.status === "UNRESERVED" || m.status === "NO_DEMAND");
              return (
                <tr key={c.classId}>
                  <th scope="row">{c.name}</th>
                  <td>{c.granularity === "HOUR" ? "busiest hour" : "busiest day ÷ 1440"}</td>
                  <td className="num">{tpm(c.history?.peakTokensPerMinute ?? null)}</td>
                  <td className={`num ${short.length ? "cov-under" : ""}`}>{short.length ? fmtTokens(worst) : "—"}</td>
                  <td>{unreserved ? "no reservation held" : short.length ? short.map((m) => m.month).join(", ") : "none"}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    );
  }
  return (
    <>
      <div className="table-wrap">
        <table className="data" data-testid="capacity">
          <caption className="sr-only">Forecast peak demand and reserved throughput in tokens per minute, per class and month</caption>
          <thead>
            <tr>
              <th scope="col">Class (peak measured on)</th>
              {view.months.map((m) => <th key={m} scope="col" className="num nowrap">{m}</th>)}
            </tr>
          </thead>
          <tbody>
            {classes.map((c) => (
              <tr key={c.classId}>
                <th scope="row" style={{ minWidth: "10rem" }}>
                  {c.name}
                  <div className="muted">{c.granularity === "HOUR" ? "busiest hour (hourly usage)" : "busiest day ÷ 1440 (daily usage)"}</div>
                  {c.history && <div className="muted">P90 {tpm(c.history.peakTokensPerMinute)}/min, {c.history.from} to {c.history.to}</div>}
                </th>
                {c.months.map((m) => (
                  <td key={m.month} className={`num ${STATUS_CLASS[m.status]}`}>
                    <div>peak {tpm(m.forecastPeakTokensPerMinute)}</div>
                    <div>reserved {tpm(m.reservedTokensPerMinute)}</div>
                    <div className="muted">{STATUS_TEXT[m.status]}{m.growth === null && m.status !== "NO_HISTORY" ? " · flat" : ""}</div>
                    {m.contracts.length > 0 && (
                      <div className="muted">{m.contracts.map((x, i) => <span key={x.id}>{i > 0 && ", "}<Link href={`/contracts/${x.id}`}>{x.reference}</Link>{x.wholeMonth ? "" : " (part)"}</span>)}</div>
                    )}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted">
        Tokens per minute. Peak: P90 of each day&apos;s busiest hour ÷ 60 over the last {view.historyDays} days of usage (busiest day ÷ 1440 where some of the class&apos;s usage is daily
        only — that understates a peak within the day), grown by the demand forecast&apos;s P50 for the month; &ldquo;flat&rdquo; where no forecast covers the month. Reserved: throughput held on
        every day of the month by open contracts&apos; service terms; a month no contract reserves in runs on the provider&apos;s shared capacity and raises no alert.
      </p>
    </>
  );
}
