"use client";
import { Area, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { fmtTokens } from "@/lib/format";

export type ForecastRow = { date: string; actual?: number; band?: [number, number]; p50?: number; adjusted?: number };

/** Actuals, then the P10–P90 band with P50 and, when planner events exist, the adjusted P50. */
export function ForecastChart({ rows, label }: { rows: ForecastRow[]; label: string }) {
  return (
    <div className="chart" role="img" aria-label={label}>
      <ResponsiveContainer>
        <ComposedChart data={rows}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="date" minTickGap={40} />
          <YAxis tickFormatter={(v) => fmtTokens(Number(v))} width={70} />
          <Tooltip formatter={(v) => (Array.isArray(v) ? `${fmtTokens(Number(v[0]))} – ${fmtTokens(Number(v[1]))}` : fmtTokens(Number(v)))} />
          <Legend />
          <Area dataKey="band" name="P10–P90" stroke="none" fill="#9ec5ee" fillOpacity={0.6} isAnimationActive={false} />
          <Line dataKey="actual" name="Actual" stroke="#15202b" dot={false} strokeWidth={1.5} isAnimationActive={false} />
          <Line dataKey="p50" name="P50 forecast" stroke="#0b5cad" dot={false} strokeWidth={2} isAnimationActive={false} />
          {rows.some((r) => r.adjusted !== undefined) && (
            <Line dataKey="adjusted" name="Adjusted P50 (planner events)" stroke="#c2410c" strokeDasharray="6 3" dot={false} strokeWidth={2} isAnimationActive={false} />
          )}
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
