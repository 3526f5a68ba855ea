"use client";
import Decimal from "decimal.js";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { fmtUsd } from "@/lib/format";
import { fmtUsdCompact } from "./labels";
import { NEUTRAL, SERIES, legendText } from "@/components/ui/palette";

export type TrendPoint = { month: string; partial: boolean; benchmarkUsd: string; chargeUsd: string };

/**
 * Benchmark and hedged charge per month. Amounts stay decimal strings; they become numbers only as bar heights
 * (recharts needs them), and the tooltip and the table beside the chart show the exact strings.
 */
export function TrendChart({ points, benchmarkLabel, label }: { points: TrendPoint[]; benchmarkLabel: string; label: string }) {
  const data = points.map((p) => ({
    month: p.partial ? `${p.month}*` : p.month,
    benchmark: new Decimal(p.benchmarkUsd).toNumber(),
    charge: new Decimal(p.chargeUsd).toNumber(),
    exact: p,
  }));
  return (
    <figure className="trend">
      <div className="chart" role="img" aria-label={label}>
        <ResponsiveContainer>
          <BarChart data={data} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="month" />
            <YAxis tickFormatter={(v) => fmtUsdCompact(v)} width={64} />
            <Tooltip
              formatter={(_v, name, item) => {
                const exact = (item.payload as (typeof data)[number]).exact;
                return [fmtUsd(name === benchmarkLabel ? exact.benchmarkUsd : exact.chargeUsd), name];
              }}
            />
            <Legend formatter={legendText} />
            <Bar dataKey="benchmark" name={benchmarkLabel} fill={NEUTRAL} isAnimationActive={false} />
            <Bar dataKey="charge" name="Hedged charge" fill={SERIES[0]} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      {points.some((p) => p.partial) && <figcaption className="muted">* partial month (usage still arriving).</figcaption>}
      <details>
        <summary>The trend as a table</summary>
        <div className="table-wrap">
          <table className="data">
            <thead><tr><th>Month</th><th className="num">{benchmarkLabel}</th><th className="num">Hedged charge</th></tr></thead>
            <tbody>
              {points.map((p) => (
                <tr key={p.month}><td>{p.month}{p.partial ? " (partial)" : ""}</td><td className="num">{fmtUsd(p.benchmarkUsd)}</td><td className="num">{fmtUsd(p.chargeUsd)}</td></tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
