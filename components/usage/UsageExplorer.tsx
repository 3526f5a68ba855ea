"use client";
import Decimal from "decimal.js";
import { sumDecimals } from "@/lib/domain/money";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { apiFetch } from "@/components/ui/useApi";
import { DataTable, type Column } from "@/components/ui/DataTable";
import { ChartTable } from "@/components/ui/ChartTable";
import { SERIES, SERIES_LIGHT_BLUE, legendText } from "@/components/ui/palette";
import { fmtTokens, fmtUsd } from "@/lib/format";
import { bucketCoverage } from "@/lib/summaries";
import { ISO_DATE_INPUT, isoDateOrEmpty } from "@/components/ui/date-input";
import { TeamPicker } from "@/components/ui/TeamPicker";

type Opt = { id: string; name: string };
type SeriesRow = { bucket: string; inputTokens: string; outputTokens: string; requests: string; listCostUsd: string };
type BreakRow = { key: string; inputTokens: string; outputTokens: string; requests: string; listCostUsd: string; activeDays: number };
type Resp = { series: SeriesRow[]; breakdown: BreakRow[] };

const cols: Column<BreakRow>[] = [
  { accessorKey: "key", header: "Name" },
  { accessorFn: (r) => Number(r.inputTokens), id: "input", header: "Input tokens", cell: (c) => fmtTokens(c.row.original.inputTokens), meta: { numeric: true } },
  { accessorFn: (r) => Number(r.outputTokens), id: "output", header: "Output tokens", cell: (c) => fmtTokens(c.row.original.outputTokens), meta: { numeric: true } },
  { accessorFn: (r) => Number(r.requests), id: "requests", header: "Requests", cell: (c) => fmtTokens(c.row.original.requests), meta: { numeric: true } },
  { accessorFn: (r) => r.listCostUsd, id: "cost", header: "Spend at list price", cell: (c) => fmtUsd(c.row.original.listCostUsd), meta: { numeric: true }, sortingFn: (a, b) => new Decimal(a.original.listCostUsd).comparedTo(b.original.listCostUsd) },
  { accessorKey: "activeDays", header: "Active days", meta: { numeric: true } },
];

export function UsageExplorer({ classes, models, lockedTeam, defaultFrom, defaultTo }: {
  classes: Opt[]; models: Opt[]; lockedTeam?: Opt; defaultFrom: string; defaultTo: string;
}) {
  const initial = { teamId: lockedTeam?.id ?? "", modelClassId: "", modelId: "", from: defaultFrom, to: defaultTo, bucket: "week", groupBy: lockedTeam ? "model" : "team" };
  // `input` is what the fields show; `f` the last filters with whole dates, which the page shows and asks for
  const [input, setInput] = useState(initial);
  const [f, setF] = useState(initial);
  const qs = new URLSearchParams(Object.entries(f).filter(([, v]) => v !== "")).toString();
  const q = useQuery({ queryKey: ["usage", qs], queryFn: () => apiFetch<Resp>(`/api/v1/usage?${qs}`), placeholderData: (prev) => prev });
  const update = (k: keyof typeof f, v: string) => {
    const next = { ...input, [k]: v };
    setInput(next);
    if (isoDateOrEmpty(next.from) && isoDateOrEmpty(next.to)) setF(next);
  };
  const set = (k: keyof typeof f) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => update(k, e.target.value);
  const dateField = (k: "from" | "to") => ({ ...ISO_DATE_INPUT, value: input[k], onChange: set(k), "aria-invalid": !isoDateOrEmpty(input[k]) });
  // a week or month cut by the chosen dates holds only the days inside them: say so, or it reads as a dip
  const cover = (r: SeriesRow) => bucketCoverage(r.bucket.slice(0, 10), f.bucket as "day" | "week" | "month", f.from, f.to);
  const unit = f.bucket === "month" ? "month" : "week";
  const chart = (q.data?.series ?? []).map((r) => ({ bucket: `${r.bucket.slice(0, 10)}${cover(r).partial ? " (partial)" : ""}`, input: Number(r.inputTokens), output: Number(r.outputTokens) }));
  const partials = (q.data?.series ?? []).filter((r) => cover(r).partial);
  const total = sumDecimals((q.data?.series ?? []).map((r) => r.listCostUsd));
  return (
    <>
      <form className="filters" aria-label="Usage filters" onSubmit={(e) => e.preventDefault()}>
        {lockedTeam ? (
          <label>Team<input aria-label="Team" value={lockedTeam.name} readOnly aria-readonly /></label>
        ) : (
          <TeamPicker selected={null} onPick={(t) => update("teamId", t?.id ?? "")} />
        )}
        <label>Model class<select aria-label="Model class" value={input.modelClassId} onChange={set("modelClassId")}><option value="">All classes</option>{classes.map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}</select></label>
        <label>Model<select aria-label="Model" value={input.modelId} onChange={set("modelId")}><option value="">All models</option>{models.map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}</select></label>
        <label>From<input {...dateField("from")} /></label>
        <label>To<input {...dateField("to")} /></label>
        <label>Totals by<select aria-label="Totals by" value={input.bucket} onChange={set("bucket")}><option value="day">Day</option><option value="week">Week</option><option value="month">Month</option></select></label>
        <label>Break down by<select aria-label="Break down by" value={input.groupBy} onChange={set("groupBy")}>{!lockedTeam && <option value="team">Team</option>}<option value="model">Model</option><option value="class">Class</option></select></label>
      </form>
      {q.isError && <p role="alert" className="error">{(q.error as Error).message}</p>}
      <p role="status" className={q.isLoading ? "muted" : "sr-only"}>{q.isLoading ? "Loading usage…" : q.data ? `Showing ${q.data.breakdown.length} ${f.groupBy === "class" ? "classes" : `${f.groupBy}s`}.` : ""}</p>
      {q.data && (
        <>
          <section className="panel" aria-label="Usage chart">
            <div className="page-head" style={{ marginBottom: 0 }}>
              <h2 style={{ margin: 0 }}>Tokens per {f.bucket}</h2>
              <div className="kpi"><span className="label">Spend at list price in range </span><strong data-testid="usage-total">{fmtUsd(total.toFixed(2))}</strong></div>
            </div>
            {chart.length === 0 ? <div className="empty">No usage in this range.</div> : (
              <figure className="chart-figure">
                <div className="chart" role="img" aria-label={`Input and output tokens per ${f.bucket}, ${chart[0].bucket} to ${chart[chart.length - 1].bucket}`}>
                  <ResponsiveContainer>
                    <BarChart data={chart} accessibilityLayer={false}>
                      <CartesianGrid strokeDasharray="3 3" />
                      <XAxis dataKey="bucket" minTickGap={24} />
                      <YAxis tickFormatter={(v) => fmtTokens(v)} width={70} />
                      <Tooltip formatter={(v) => fmtTokens(Number(v))} />
                      <Legend formatter={legendText} />
                      <Bar dataKey="input" name="Input tokens" stackId="t" fill={SERIES[0]} stroke="#fff" strokeWidth={1} isAnimationActive={false} />
                      <Bar dataKey="output" name="Output tokens" stackId="t" fill={SERIES_LIGHT_BLUE} stroke="#fff" strokeWidth={1} isAnimationActive={false} />
                    </BarChart>
                  </ResponsiveContainer>
                </div>
                <ChartTable
                  caption={`Tokens and spend per ${f.bucket}`}
                  head={[f.bucket === "day" ? "Day" : f.bucket === "week" ? "Week of" : "Month", "Input tokens", "Output tokens", "Requests", "Spend at list price"]}
                  numeric={[false, true, true, true, true]}
                  rows={(q.data?.series ?? []).map((r) => {
                    const c = cover(r);
                    return [`${r.bucket.slice(0, 10)}${c.partial ? ` (partial ${unit}: ${c.days} of ${c.totalDays} days)` : ""}`, fmtTokens(r.inputTokens), fmtTokens(r.outputTokens), fmtTokens(r.requests), fmtUsd(r.listCostUsd)];
                  })}
                />
                {partials.length > 0 && (
                  <p className="muted" data-testid="partial-note">
                    Marked &ldquo;(partial)&rdquo;: {partials.map((r) => { const c = cover(r); return `the ${unit} of ${r.bucket.slice(0, 10)} has ${c.days} of its ${c.totalDays} days in the range`; }).join("; ")}, so its total is lower than a whole {unit}&apos;s.
                  </p>
                )}
              </figure>
            )}
          </section>
          <DataTable data={q.data.breakdown} columns={cols} empty="No usage matches these filters." caption={`Breakdown by ${f.groupBy}`} />
        </>
      )}
    </>
  );
}
