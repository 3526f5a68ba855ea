"use client";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { SERIES, legendText } from "@/components/ui/palette";
import { fmtUsd, fmtUsdCompact } from "@/lib/format";

export const CLASS_COLORS = SERIES;

/** Monthly spend at list price, stacked by model class. Amounts arrive as decimal strings; numbers are for plotting only. */
export function SpendChart({ classes, rows }: { classes: { id: string; name: string }[]; rows: { month: string; byClass: Record<string, string> }[] }) {
  const data = rows.map((r) => ({ month: r.month, ...Object.fromEntries(classes.map((c) => [c.id, Number(r.byClass[c.id] ?? 0)])) }));
  return (
    <div className="chart" role="img" aria-label={`Monthly spend at list price by model class, ${rows[0]?.month ?? ""} to ${rows[rows.length - 1]?.month ?? ""}; the table below has the numbers`} data-testid="spend-chart">
      <ResponsiveContainer>
        <BarChart data={data} accessibilityLayer={false}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="month" />
          <YAxis tickFormatter={(v) => fmtUsdCompact(String(v))} width={64} />
          <Tooltip formatter={(v) => fmtUsd(Number(v), 0)} />
          <Legend formatter={legendText} />
          {classes.map((c, i) => (
            <Bar key={c.id} dataKey={c.id} name={c.name} stackId="spend" fill={CLASS_COLORS[i % CLASS_COLORS.length]} stroke="#fff" strokeWidth={1} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
