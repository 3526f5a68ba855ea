"use client";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export type ChartCurve = { label: string; points: { month: string; price: number; flagged: boolean }[] };
const COLORS = ["#0b5cad", "#7a5195", "#ef5675", "#ffa600", "#2f9e44"];

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
  return (
    <div className="chart" role="img" aria-label={`Forward curves: ${curves.map((c) => c.label).join(", ")}`}>
      <ResponsiveContainer>
        <LineChart data={data}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="month" />
          <YAxis tickFormatter={(v) => `$${Number(v).toPrecision(3)}`} width={70} />
          <Tooltip formatter={(v) => `$${Number(v).toFixed(4)} / 1M`} />
          <Legend />
          {curves.map((c, i) => (
            <Line key={c.label} dataKey={c.label} stroke={COLORS[i % COLORS.length]} strokeWidth={i === 0 ? 3 : 1.5} strokeDasharray={i === 0 ? undefined : "5 4"} dot={<FlagDot />} isAnimationActive={false} connectNulls />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

export function SpotChart({ rows }: { rows: { week: string; list: number | null; realized: number | null }[] }) {
  return (
    <div className="chart" role="img" aria-label="Spot price history">
      <ResponsiveContainer>
        <LineChart data={rows}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="week" minTickGap={30} />
          <YAxis tickFormatter={(v) => `$${Number(v).toPrecision(3)}`} width={70} />
          <Tooltip formatter={(v) => `$${Number(v).toFixed(4)} / 1M`} />
          <Legend />
          <Line dataKey="list" name="Provider list (blended)" stroke="#7a5195" dot={false} isAnimationActive={false} connectNulls />
          <Line dataKey="realized" name="Realized blended" stroke="#0b5cad" dot={false} isAnimationActive={false} connectNulls />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
