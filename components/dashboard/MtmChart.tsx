"use client";
import { useId, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/components/ui/useApi";
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartTable } from "@/components/ui/ChartTable";
import { SERIES, legendText } from "@/components/ui/palette";
import { fmtUsd, fmtUsdCompact } from "@/lib/format";

type Point = { asOf: string; valueUsd: string };
/** the days of history the page's portfolio line covers (lib/services/hedging/marks.ts marksHistory's default) */
const DAYS = 400;

/**
 * Portfolio mark-to-market per mark day, with one contract's marks beside it when picked. The page sends the
 * portfolio line and the contracts' names; a contract's own marks are asked for when it is picked
 * (GET /api/v1/marks/history?contractId=), so the page does not carry every contract's history.
 */
export function MtmChart({ portfolio, contracts }: { portfolio: Point[]; contracts: { contractId: string; reference: string }[] }) {
  const [contractId, setContractId] = useState("");
  const id = useId();
  const chosen = contracts.find((c) => c.contractId === contractId);
  const history = useQuery({
    queryKey: ["marks-history", contractId],
    queryFn: () => apiFetch<{ contracts: { contractId: string; points: Point[] }[] }>(`/api/v1/marks/history?contractId=${encodeURIComponent(contractId)}&days=${DAYS}`),
    enabled: !!contractId,
    staleTime: 60_000,
  });
  const points = history.data?.contracts.find((c) => c.contractId === contractId)?.points;
  const picked = chosen && points ? { ...chosen, points } : undefined;
  const byDay = new Map(picked?.points.map((p) => [p.asOf, Number(p.valueUsd)]) ?? []);
  const exactByDay = new Map(picked?.points.map((p) => [p.asOf, p.valueUsd]) ?? []);
  const data = portfolio.map((p) => ({ asOf: p.asOf, portfolio: Number(p.valueUsd), contract: byDay.get(p.asOf) ?? null }));
  return (
    <figure className="chart-figure">
      <label htmlFor={id} className="inline">
        Show a contract beside the portfolio:&nbsp;
        <select id={id} value={contractId} onChange={(e) => setContractId(e.target.value)}>
          <option value="">None</option>
          {contracts.map((c) => (
            <option key={c.contractId} value={c.contractId}>{c.reference}</option>
          ))}
        </select>
      </label>
      {chosen && history.isPending && <span className="muted" role="status"> Loading {chosen.reference}…</span>}
      {chosen && history.isError && <span className="error" role="alert"> Could not load {chosen.reference}&apos;s marks: {(history.error as Error).message}</span>}
      <div className="chart" role="img" aria-label={`Mark-to-market history from ${portfolio[0]?.asOf ?? ""} to ${portfolio[portfolio.length - 1]?.asOf ?? ""}${picked ? ` with ${picked.reference}` : ""}`} data-testid="mtm-chart">
        <ResponsiveContainer>
          <LineChart data={data} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="asOf" minTickGap={40} />
            <YAxis tickFormatter={(v) => fmtUsdCompact(String(v))} width={64} />
            <Tooltip formatter={(v) => fmtUsd(Number(v), 2)} />
            <Legend formatter={legendText} />
            <ReferenceLine y={0} stroke="#5b6775" />
            <Line dataKey="portfolio" name="Portfolio MTM" stroke={SERIES[0]} strokeWidth={2} dot={false} isAnimationActive={false} />
            {picked && <Line dataKey="contract" name={picked.reference} stroke={SERIES[1]} strokeWidth={2} dot={false} isAnimationActive={false} connectNulls={false} />}
          </LineChart>
        </ResponsiveContainer>
      </div>
      <ChartTable
        caption={`Mark-to-market per mark day${picked ? `, with ${picked.reference}` : ""}`}
        head={["Mark day", "Portfolio MTM", ...(picked ? [picked.reference] : [])]}
        numeric={[false, true, true]}
        rows={portfolio.map((p) => [p.asOf, fmtUsd(p.valueUsd), ...(picked ? [exactByDay.has(p.asOf) ? fmtUsd(exactByDay.get(p.asOf)) : "—"] : [])])}
      />
    </figure>
  );
}
