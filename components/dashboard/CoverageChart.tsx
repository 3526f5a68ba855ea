"use client";
import { useState } from "react";
import { Area, Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartTable } from "@/components/ui/ChartTable";
import { BAND_EDGE, BAND_FILL, SERIES, legendText } from "@/components/ui/palette";
import { fmtTokens } from "@/lib/format";
import type { CoverageGridCell } from "./coverage-cells";

const n = (v: string | null) => (v === null ? null : Number(v));


/**
 * One class at a time: the forecast's P10–P90 band and P50 per delivery month, the contracted quantity as bars,
 * and the policy band's minimum and maximum in tokens. Class buttons switch it (keyboard: Tab, Enter).
 */
export function CoverageChart({ classes, cells }: { classes: { id: string; name: string }[]; cells: CoverageGridCell[] }) {
  // start with the class holding the most contracted tokens over the grid
  const contracted = (id: string) => cells.filter((x) => x.classId === id).reduce((s, x) => s + BigInt(x.contractedTokens), 0n);
  const first = [...classes].sort((a, b) => (contracted(b.id) > contracted(a.id) ? 1 : contracted(b.id) < contracted(a.id) ? -1 : 0))[0];
  const [selected, setSelected] = useState(first?.id);
  const current = classes.find((c) => c.id === selected);
  const rows = cells
    .filter((c) => c.classId === selected)
    .map((c) => ({
      month: c.month,
      band: c.p10Tokens !== null && c.p90Tokens !== null ? [Number(c.p10Tokens), Number(c.p90Tokens)] : null,
      p10: n(c.p10Tokens),
      p90: n(c.p90Tokens),
      p50: n(c.p50Tokens),
      contracted: Number(c.contractedTokens),
      bandMin: n(c.bandMinTokens),
      bandMax: n(c.bandMaxTokens),
    }));
  const tok = (v: string | null) => (v === null ? "—" : fmtTokens(v));
  const selectedCells = cells.filter((c) => c.classId === selected);
  return (
    <figure className="chart-figure">
      <div className="tabs" role="group" aria-label="Model class shown in the coverage chart">
        {classes.map((c) => (
          <button key={c.id} type="button" className={`btn ${c.id === selected ? "primary" : ""}`} aria-pressed={c.id === selected} onClick={() => setSelected(c.id)}>
            {c.name}
          </button>
        ))}
      </div>
      <div className="chart" role="img" aria-label={`${current?.name ?? ""}: forecast demand P10–P90 and P50 against contracted tokens and the policy band, by delivery month`} data-testid="coverage-chart">
        <ResponsiveContainer>
          <ComposedChart data={rows} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="month" />
            <YAxis tickFormatter={(v) => fmtTokens(Number(v))} width={70} />
            <Tooltip formatter={(v) => (Array.isArray(v) ? `${fmtTokens(Number(v[0]))} – ${fmtTokens(Number(v[1]))}` : fmtTokens(Number(v)))} />
            <Legend formatter={legendText} />
            <Area dataKey="band" name="Demand P10–P90" stroke="none" fill={BAND_FILL} isAnimationActive={false} connectNulls={false} />
            <Line dataKey="p10" name="Demand P10" legendType="none" tooltipType="none" stroke={BAND_EDGE} strokeWidth={1} dot={false} isAnimationActive={false} connectNulls={false} />
            <Line dataKey="p90" name="Demand P90" legendType="none" tooltipType="none" stroke={BAND_EDGE} strokeWidth={1} dot={false} isAnimationActive={false} connectNulls={false} />
            <Bar dataKey="contracted" name="Contracted" fill={SERIES[6]} fillOpacity={0.8} barSize={18} isAnimationActive={false} />
            <Line dataKey="p50" name="Demand P50" stroke={SERIES[0]} strokeWidth={2} dot={{ r: 2 }} isAnimationActive={false} connectNulls={false} />
            <Line dataKey="bandMin" name="Policy band min" stroke={SERIES[2]} strokeWidth={2} strokeDasharray="5 4" dot={false} isAnimationActive={false} connectNulls={false} />
            <Line dataKey="bandMax" name="Policy band max" stroke={SERIES[1]} strokeWidth={2} strokeDasharray="5 4" dot={false} isAnimationActive={false} connectNulls={false} />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <ChartTable
        caption={`${current?.name ?? ""}: demand and contracted tokens by delivery month`}
        head={["Month", "Demand P10", "Demand P50", "Demand P90", "Contracted", "Policy band min", "Policy band max"]}
        numeric={[false, true, true, true, true, true, true]}
        rows={selectedCells.map((c) => [c.month, tok(c.p10Tokens), tok(c.p50Tokens), tok(c.p90Tokens), fmtTokens(c.contractedTokens), tok(c.bandMinTokens), tok(c.bandMaxTokens)])}
      />
    </figure>
  );
}
