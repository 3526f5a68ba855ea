"use client";
import { CartesianGrid, Legend, Line, LineChart, ReferenceArea, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartTable } from "@/components/ui/ChartTable";
import { BAND_EDGE, BAND_FILL, SERIES, legendText } from "@/components/ui/palette";

type Row = { month: string; ratioPct: string | null; effective: boolean; cumulative: { ratioPct: string | null } };

/**
 * The monthly dollar-offset ratio (and the cumulative one) against the 80–125% band. A month with no change in the
 * hedged cost has no ratio and is a gap; ratios far outside the band are clipped to the axis (exact in the table).
 */
export function EffectivenessChart({ rows }: { rows: Row[] }) {
  const clip = (v: string | null) => (v === null ? null : Math.max(0, Math.min(200, Number(v))));
  const data = rows.map((r) => ({ month: r.month, monthly: clip(r.ratioPct), cumulative: clip(r.cumulative.ratioPct), effective: r.effective }));
  const failed = rows.filter((r) => !r.effective).map((r) => r.month);
  return (
    <figure className="chart-figure">
      <div
        className="chart"
        role="img"
        aria-label={`Dollar-offset ratio per month from ${rows[0]?.month ?? ""} to ${rows.at(-1)?.month ?? ""} against the 80–125% band; ${failed.length ? `outside it in ${failed.join(", ")}` : "every month inside it"}`}
        data-testid="effectiveness-chart"
      >
        <ResponsiveContainer>
          <LineChart data={data} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" />
            <ReferenceArea y1={80} y2={125} fill={BAND_FILL} stroke={BAND_EDGE} strokeDasharray="4 2" ifOverflow="extendDomain" />
            <ReferenceLine y={100} stroke="#5b6775" />
            <XAxis dataKey="month" padding={{ left: 24, right: 24 }} />
            <YAxis domain={[0, 200]} tickFormatter={(v) => `${v}%`} width={52} />
            <Tooltip formatter={(v) => `${Number(v).toFixed(1)}%`} />
            <Legend formatter={legendText} />
            <Line dataKey="monthly" name="Monthly ratio" stroke={SERIES[0]} strokeWidth={2} isAnimationActive={false} connectNulls={false}
              dot={(p: { cx?: number; cy?: number; index?: number; value?: number | null; payload?: { effective: boolean } }) =>
                // a month without a ratio (no change in the hedged cost) has no point
                p.value === null || p.value === undefined || p.cy === undefined || Number.isNaN(p.cy) ? (
                  <g key={p.index} />
                ) : (
                  <circle key={p.index} cx={p.cx} cy={p.cy} r={p.payload?.effective ? 4 : 6} fill={p.payload?.effective ? SERIES[0] : SERIES[1]} stroke="#fff" />
                )
              }
            />
            <Line dataKey="cumulative" name="Cumulative ratio" stroke={SERIES[2]} strokeWidth={2} strokeDasharray="6 3" dot={false} isAnimationActive={false} connectNulls={false} />
          </LineChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="muted">Shaded: 80%–125%, the band in which a month is effective. Larger orange dots: months outside it.</figcaption>
      <ChartTable
        caption="Dollar-offset ratio per month"
        head={["Month", "Monthly ratio", "Cumulative ratio", "Result"]}
        numeric={[false, true, true, false]}
        rows={rows.map((r) => [r.month, r.ratioPct ? `${r.ratioPct}%` : "—", r.cumulative.ratioPct ? `${r.cumulative.ratioPct}%` : "—", r.effective ? "effective" : "not effective"])}
        testId="effectiveness-chart-table"
      />
    </figure>
  );
}
