"use client";
import { useId, useState } from "react";
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { fmtUsd } from "@/lib/format";

type Point = { asOf: string; valueUsd: string };

/** Portfolio mark-to-market per mark day, with one contract's marks beside it when picked. */
export function MtmChart({ portfolio, contracts }: { portfolio: Point[]; contracts: { contractId: string; reference: string; points: Point[] }[] }) {
  const [contractId, setContractId] = useState("");
  const id = useId();
  const picked = contracts.find((c) => c.contractId === contractId);
  const byDay = new Map(picked?.points.map((p) => [p.asOf, Number(p.valueUsd)]) ?? []);
  const data = portfolio.map((p) => ({ asOf: p.asOf, portfolio: Number(p.valueUsd), contract: byDay.get(p.asOf) ?? null }));
  return (
    <div>
      <label htmlFor={id} className="inline">
        Show a contract beside the portfolio:&nbsp;
        <select id={id} value={contractId} onChange={(e) => setContractId(e.target.value)}>
          <option value="">None</option>
          {contracts.map((c) => (
            <option key={c.contractId} value={c.contractId}>{c.reference}</option>
          ))}
        </select>
      </label>
      <div className="chart" role="img" aria-label={`Mark-to-market history from ${portfolio[0]?.asOf ?? ""} to ${portfolio[portfolio.length - 1]?.asOf ?? ""}${picked ? ` with ${picked.reference}` : ""}`} data-testid="mtm-chart">
        <ResponsiveContainer>
          <LineChart data={data}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="asOf" minTickGap={40} />
            <YAxis tickFormatter={(v) => fmtUsd(Number(v), 0)} width={90} />
            <Tooltip formatter={(v) => fmtUsd(Number(v), 2)} />
            <Legend />
            <ReferenceLine y={0} stroke="#5b6775" />
            <Line dataKey="portfolio" name="Portfolio MTM" stroke="#0b5cad" strokeWidth={2} dot={false} isAnimationActive={false} />
            {picked && <Line dataKey="contract" name={picked.reference} stroke="#c2410c" strokeWidth={1.5} dot={false} isAnimationActive={false} connectNulls={false} />}
          </LineChart>
        </ResponsiveContainer>
      </div>
    </div>
  );
}
