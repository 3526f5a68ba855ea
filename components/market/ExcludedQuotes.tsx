import type { StoredExclusion } from "@/lib/services/curves";
import { fmtDateTime, fmtUsd } from "@/lib/format";

/** Quotes the curve's outlier screen left out, with the reason for each. */
export function ExcludedQuotes({ rows, total, screen }: { rows: StoredExclusion[]; total: number; screen?: { outlierK: number; outlierMadFloorPct: number; outlierMinQuotes: number; outlierWindowDays: number } }) {
  return (
    <section aria-labelledby="excluded-quotes">
      <h2 id="excluded-quotes">Excluded quotes</h2>
      <p className="muted">
        {`Quotes far from the median of their delivery month (or of the spot observations) are left out of the curve${
          screen ? ` — beyond ${screen.outlierK} × 1.4826 × MAD, with the MAD at least ${screen.outlierMadFloorPct}% of the median, judged against the quotes made within ${screen.outlierWindowDays} days before and after (at least ${screen.outlierMinQuotes})` : ""
        }, unless the rest of the class's market moved with them.`}
      </p>
      {total === 0 ? (
        <div className="empty">No quote was excluded from this curve.</div>
      ) : (
        <>
          {total > rows.length && <p className="warning">{total} quotes were excluded; the first {rows.length} are listed.</p>}
          <div className="table-wrap">
            <table className="data">
              <thead><tr><th>Quoted</th><th>Source</th><th>Delivery</th><th className="num">Mid / 1M</th><th className="num">Median / 1M</th><th className="num">Deviation</th><th>Reason</th></tr></thead>
              <tbody>
                {rows.map((e, i) => (
                  <tr key={`${e.source}-${e.asOf}-${e.deliveryMonth}-${i}`}>
                    <td>{fmtDateTime(e.asOf)}</td>
                    <td>{e.source}</td>
                    <td>{e.deliveryMonth ?? "spot"}</td>
                    <td className="num">{fmtUsd(e.mid, 4)}</td>
                    <td className="num">{fmtUsd(e.median, 4)}</td>
                    <td className="num">{e.deviationPct.startsWith("-") ? "" : "+"}{e.deviationPct}%</td>
                    <td>{e.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
