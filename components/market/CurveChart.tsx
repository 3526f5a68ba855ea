"use client";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartTable } from "@/components/ui/ChartTable";
import { SERIES, legendText } from "@/components/ui/palette";
import { fmtUsd } from "@/lib/format";

/** price: plotting only; exact: the stored decimal string, shown in the table (falls back to the plotted number). */
export type ChartCurve = { label: string; points: { month: string; price: number; exact?: string; flagged: boolean }[] };

function FlagDot(props: { cx?: number; cy?: number; payload?: Record<string, unknown>; dataKey?: string; stroke?: string }) {
  const { cx, cy, payload, dataKey, stroke } = props;
  if (cx == null || cy == null || !payload || payload[dataKey ?? ""] == null) return <g />;
  if (payload[`${dataKey}__flag`] !== true) return <circle cx={cx} cy={cy} r={2} fill={stroke} />;
  return <path d={`M${cx},${cy - 6} L${cx + 6},${cy + 5} L${cx - 6},${cy + 5} Z`} fill="#a15c00" stroke="#fff" />;
}

/** Today's curve and past curves on one monthly axis; triangles mark flagged (stale, wide or thin) points. */
export function CurveChart({ curves }: { curves: ChartCurve[] }) {
  const months = [...new Set(curves.flatMap((c) => c.points.map((p) => p.month)))].sort();
  const data = months.map((m) => {
    const row: Record<string, unknown> = { month: m };
    for (const c of curves) {
      const p = c.points.find((x) => x.month === m);
      if (p) {
        row[c.label] = p.price;
        row[`${c.label}__flag`] = p.flagged;
      }
    }
    return row;
  });
  const cell = (c: ChartCurve, m: string) => {
    const p = c.points.find((x) => x.month === m);
    return p ? `${fmtUsd(p.exact ?? p.price, 4)}${p.flagged ? " (flagged)" : ""}` : "—";
  };
  return (
    <figure className="chart-figure">
      <div className="chart" role="img" aria-label={`Forward curves: ${curves.map((c) => c.label).join(", ")}`}>
        <ResponsiveContainer>
          <LineChart data={data} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="month" />
            <YAxis tickFormatter={(v) => `$${Number(v).toPrecision(3)}`} width={70} />
            <Tooltip formatter={(v) => `$${Number(v).toFixed(4)} / 1M`} />
            <Legend formatter={legendText} />
            {curves.map((c, i) => (
              <Line key={c.label} dataKey={c.label} stroke={SERIES[i % SERIES.length]} strokeWidth={i === 0 ? 3 : 2} strokeDasharray={i === 0 ? undefined : "5 4"} dot={<FlagDot />} isAnimationActive={false} connectNulls />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
      <ChartTable caption="Forward curves, USD per 1M tokens by delivery month" head={["Delivery", ...curves.map((c) => c.label)]} numeric={[false, ...curves.map(() => true)]} rows={months.map((m) => [m, ...curves.map((c) => cell(c, m))])} />
    </figure>
  );
}

/** list / realized: plotting only; listUsd / realizedUsd: the exact weekly medians for the table. */
export function SpotChart({ rows }: { rows: { week: string; list: number | null; realized: number | null; listUsd?: string | null; realizedUsd?: string | null }[] }) {
  const show = (exact: string | null | undefined, plotted: number | null) => (exact ? fmtUsd(exact, 4) : plotted === null ? "—" : fmtUsd(plotted, 4));
  return (
    <figure className="chart-figure">
      <div className="chart" role="img" aria-label="Spot price history: provider list (blended) and realized blended, weekly">
        <ResponsiveContainer>
          <LineChart data={rows} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="week" minTickGap={30} />
            <YAxis tickFormatter={(v) => `$${Number(v).toPrecision(3)}`} width={70} />
            <Tooltip formatter={(v) => `$${Number(v).toFixed(4)} / 1M`} />
            <Legend formatter={legendText} />
            <Line dataKey="list" name="Provider list (blended)" stroke={SERIES[3]} strokeWidth={2} dot={false} isAnimationActive={false} connectNulls />
            <Line dataKey="realized" name="Realized blended" stroke={SERIES[0]} strokeWidth={2} dot={false} isAnimationActive={false} connectNulls />
          </LineChart>
        </ResponsiveContainer>
      </div>
      <ChartTable caption="Spot history, weekly median USD per 1M tokens" head={["Week", "Provider list (blended)", "Realized blended"]} numeric={[false, true, true]} rows={rows.map((r) => [r.week, show(r.listUsd, r.list), show(r.realizedUsd, r.realized)])} />
    </figure>
  );
}
