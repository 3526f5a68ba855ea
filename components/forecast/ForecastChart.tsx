"use client";
import { Area, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartTable } from "@/components/ui/ChartTable";
import { BAND_EDGE, BAND_FILL, SERIES, legendText } from "@/components/ui/palette";
import { fmtTokens } from "@/lib/format";

export type ForecastRow = { date: string; actual?: number; band?: [number, number]; p50?: number; adjusted?: number };

const tok = (v: number | undefined) => (v === undefined ? "—" : fmtTokens(v));

/** Actuals, then the P10–P90 band with P50 and, when planner events exist, the adjusted P50. */
export function ForecastChart({ rows, label }: { rows: ForecastRow[]; label: string }) {
  const hasAdjusted = rows.some((r) => r.adjusted !== undefined);
  // the band's edges as thin lines (4.3:1), so its extent is visible without a dark fill hiding the P50 line
  const plotted = rows.map((r) => ({ ...r, p10: r.band?.[0], p90: r.band?.[1] }));
  return (
    <figure className="chart-figure">
      <div className="chart" role="img" aria-label={label}>
        <ResponsiveContainer>
          <ComposedChart data={plotted} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="date" minTickGap={40} />
            <YAxis tickFormatter={(v) => fmtTokens(Number(v))} width={70} />
            <Tooltip formatter={(v) => (Array.isArray(v) ? `${fmtTokens(Number(v[0]))} – ${fmtTokens(Number(v[1]))}` : fmtTokens(Number(v)))} />
            <Legend formatter={legendText} />
            <Area dataKey="band" name="P10–P90" stroke="none" fill={BAND_FILL} isAnimationActive={false} />
            <Line dataKey="p10" name="P10" legendType="none" tooltipType="none" stroke={BAND_EDGE} strokeWidth={1} dot={false} isAnimationActive={false} />
            <Line dataKey="p90" name="P90" legendType="none" tooltipType="none" stroke={BAND_EDGE} strokeWidth={1} dot={false} isAnimationActive={false} />
            <Line dataKey="actual" name="Actual" stroke={SERIES[6]} dot={false} strokeWidth={1.5} isAnimationActive={false} />
            <Line dataKey="p50" name="P50 forecast" stroke={SERIES[0]} dot={false} strokeWidth={2} isAnimationActive={false} />
            {hasAdjusted && (
              <Line dataKey="adjusted" name="Adjusted P50 (planner events)" stroke={SERIES[1]} strokeDasharray="6 3" dot={false} strokeWidth={2} isAnimationActive={false} />
            )}
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <ChartTable
        caption={`${label}, per day`}
        head={["Day", "Actual", "P10", "P50", "P90", ...(hasAdjusted ? ["Adjusted P50"] : [])]}
        numeric={[false, true, true, true, true, true]}
        rows={rows.map((r) => [r.date, tok(r.actual), tok(r.band?.[0]), tok(r.p50), tok(r.band?.[1]), ...(hasAdjusted ? [tok(r.adjusted)] : [])])}
      />
    </figure>
  );
}
