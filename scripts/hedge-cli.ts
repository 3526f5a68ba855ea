/**
 * npm run hedge -- --demand demand.csv --prices prices.csv --policy policy.json --out rec.csv
 *                  [--paths N] [--seed S] [--quantities q.csv]
 *                  [--demand-month-corr R] [--demand-price-corr R] [--step-cut-prob P] [--step-cut-pct C]
 *
 * One model class. Same engine as the app (lib/domain/hedge.ts): seeded Monte Carlo of demand and spot, the
 * recommended quantity per month (lowest P95 cost inside the coverage band, within the over-hedge limit, rounded
 * to lots) — or, with --quantities, the given quantities evaluated instead.
 *
 * Inputs
 *   demand.csv   month,p10,p50,p90                tokens used in the month (YYYY-MM)
 *   prices.csv   month,forward[,bid,ask],vol      USD per 1M tokens; vol annualised lognormal (0.6 = 60%)
 *   policy.json  {"settlement":"FINANCIAL"|"SERVICE_CREDITS","minCoveragePct":70,"maxCoveragePct":90,
 *                 "maxOverHedgeProb":0.1,"lotTokens":1000000000}   coverage in % of each month's P50; the
 *                 over-hedge limit a probability; lotTokens defaults to 1e9; optional "budgetUsd" (whole horizon)
 *                 and "bands" [{fromMonth,toMonth,minCoveragePct,maxCoveragePct}] by tenor (1 = first month)
 *   q.csv        month,quantity_tokens            whole tokens per month
 * Months must be the same in every file. Time to a month for the volatility: the first demand month is the month
 * after as-of (tenor 1), so month i (counted from the first demand month) is t = (i + 0.5)/12 years away — the
 * middle of the month. Strike = ask where given, else the forward. Defaults: 10,000 paths, seed 1, and the
 * engine's defaults for correlations and step cuts (see DEFAULT_SIM_PARAMS).
 *
 * Output rec.csv: month,quantity_tokens,strike,coverage_pct_of_p50,expected_cost_unhedged,expected_cost_hedged,
 *   p95_cost_unhedged,p95_cost_hedged,over_hedge_prob — costs in USD to 6 dp, coverage to 2 dp (empty when
 *   P50 = 0), probability to 4 dp. The reasons and warnings per month, and whole-horizon totals, go to stderr.
 * Bad input: a message naming the file and line, and exit code 2.
 */
import { readFileSync, writeFileSync } from "node:fs";
import Papa from "papaparse";
import { addMonths, monthsBetween } from "@/lib/domain/curve";
import {
  type ClassInput,
  type CostStats,
  DEFAULT_SIM_PARAMS,
  evaluate,
  type HedgePolicyInput,
  type MonthInput,
  recommendOnPaths,
  type SimParams,
  simulateClass,
  type TenorBand,
} from "@/lib/domain/hedge";
import { Decimal, moneyString } from "@/lib/domain/money";

const USAGE =
  "usage: npm run hedge -- --demand demand.csv --prices prices.csv --policy policy.json --out rec.csv [--paths N] [--seed S] [--quantities q.csv]\n" +
  "       [--demand-month-corr R] [--demand-price-corr R] [--step-cut-prob P] [--step-cut-pct C]";
const OPTIONS = ["demand", "prices", "policy", "out", "paths", "seed", "quantities", "demand-month-corr", "demand-price-corr", "step-cut-prob", "step-cut-pct"];

function fail(msg: string): never {
  console.error(`hedge: ${msg}\n${USAGE}`);
  process.exit(2);
}

const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  if (!argv[i].startsWith("--")) fail(`unexpected argument ${argv[i]}`);
  const name = argv[i].slice(2);
  if (!OPTIONS.includes(name)) fail(`unknown option --${name}`);
  if (argv[i + 1] === undefined || argv[i + 1].startsWith("--")) fail(`--${name} needs a value`);
  i++;
}
function arg(name: string): string | undefined {
  const i = argv.lastIndexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}
function numArg(name: string, ok: (v: number) => boolean, what: string): number | undefined {
  const s = arg(name);
  if (s === undefined) return undefined;
  const v = Number(s);
  if (s.trim() === "" || !Number.isFinite(v) || !ok(v)) fail(`--${name} must be ${what} (got ${s})`);
  return v;
}

const demandPath = arg("demand") ?? fail("--demand is required");
const pricesPath = arg("prices") ?? fail("--prices is required");
const policyPath = arg("policy") ?? fail("--policy is required");
const outPath = arg("out") ?? fail("--out is required");
const quantitiesPath = arg("quantities");
const params: SimParams = {
  ...DEFAULT_SIM_PARAMS,
  paths: numArg("paths", (v) => Number.isInteger(v) && v >= 1, "a positive whole number") ?? DEFAULT_SIM_PARAMS.paths,
  seed: numArg("seed", (v) => Number.isInteger(v), "a whole number") ?? 1,
  demandMonthCorrelation: numArg("demand-month-corr", (v) => v >= 0 && v <= 1, "between 0 and 1") ?? DEFAULT_SIM_PARAMS.demandMonthCorrelation,
  demandPriceCorrelation: numArg("demand-price-corr", (v) => v >= -1 && v <= 1, "between -1 and 1") ?? DEFAULT_SIM_PARAMS.demandPriceCorrelation,
  stepCutProbPerMonth: numArg("step-cut-prob", (v) => v >= 0 && v <= 1, "a probability between 0 and 1") ?? DEFAULT_SIM_PARAMS.stepCutProbPerMonth,
  stepCutPct: numArg("step-cut-pct", (v) => v >= 0 && v < 100, "a percentage from 0 to below 100") ?? DEFAULT_SIM_PARAMS.stepCutPct,
};

// ---- reading -----------------------------------------------------------------------------------------------------

function read(path: string): string {
  try {
    return readFileSync(path, "utf8").replace(/^\uFEFF/, "");
  } catch (e) {
    fail(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

type Row = { line: number; get: (col: string) => string | undefined };

/** CSV rows with their 1-based line numbers (header = line 1); blank lines skipped; header names case-insensitive. */
function readCsv(path: string, required: string[]): Row[] {
  const parsed = Papa.parse<string[]>(read(path), { skipEmptyLines: false });
  const data = parsed.data;
  const header = (data[0] ?? []).map((h) => h.trim().toLowerCase());
  const missing = required.filter((c) => !header.includes(c));
  if (missing.length) fail(`${path}: missing column${missing.length > 1 ? "s" : ""} ${missing.join(", ")} (header: ${header.join(",") || "empty"})`);
  const rows: Row[] = [];
  for (let i = 1; i < data.length; i++) {
    const cells = data[i];
    if (cells.every((c) => c.trim() === "")) continue;
    rows.push({
      line: i + 1,
      get: (col) => {
        const j = header.indexOf(col);
        return j >= 0 ? cells[j]?.trim() : undefined;
      },
    });
  }
  if (!rows.length) fail(`${path}: no data rows`);
  return rows;
}

const MONTH_RE = /^\d{4}-(0[1-9]|1[0-2])$/;
function month(path: string, r: Row): string {
  const m = r.get("month") ?? "";
  if (!MONTH_RE.test(m)) fail(`${path} line ${r.line}: month must be YYYY-MM (got "${m}")`);
  return m;
}
function number(path: string, r: Row, col: string, ok: (v: number) => boolean, what: string): number {
  const s = r.get(col) ?? "";
  const v = Number(s);
  if (s === "" || !Number.isFinite(v) || !ok(v)) fail(`${path} line ${r.line}: ${col} must be ${what} (got "${s}")`);
  return v;
}
/** Optional price cell: null when the column is absent or the cell empty; validated as a non-negative decimal. */
function optionalPrice(path: string, r: Row, col: string): string | null {
  const s = r.get(col);
  if (s === undefined || s === "") return null;
  number(path, r, col, (v) => v >= 0, "a non-negative number or empty");
  return s;
}
function noDuplicates(path: string, seen: Map<string, number>, m: string, r: Row) {
  const prev = seen.get(m);
  if (prev !== undefined) fail(`${path} line ${r.line}: month ${m} repeats line ${prev}`);
  seen.set(m, r.line);
}
function sameMonths(aPath: string, a: Map<string, unknown>, bPath: string, b: Map<string, unknown>) {
  const notInB = [...a.keys()].filter((m) => !b.has(m)).sort();
  const notInA = [...b.keys()].filter((m) => !a.has(m)).sort();
  const msg = (path: string, ms: string[]) => `${path} has no row for month${ms.length > 1 ? "s" : ""} ${ms.join(", ")}`;
  const problems = [notInB.length ? msg(bPath, notInB) : null, notInA.length ? msg(aPath, notInA) : null].filter(Boolean);
  if (problems.length) fail(`months must match: ${problems.join("; ")}`);
}

// demand.csv
const demand = new Map<string, { p10: number; p50: number; p90: number }>();
{
  const seen = new Map<string, number>();
  for (const r of readCsv(demandPath, ["month", "p10", "p50", "p90"])) {
    const m = month(demandPath, r);
    noDuplicates(demandPath, seen, m, r);
    const nonNeg = (v: number) => v >= 0;
    const p10 = number(demandPath, r, "p10", nonNeg, "a non-negative number of tokens");
    const p50 = number(demandPath, r, "p50", nonNeg, "a non-negative number of tokens");
    const p90 = number(demandPath, r, "p90", nonNeg, "a non-negative number of tokens");
    if (!(p10 <= p50 && p50 <= p90)) fail(`${demandPath} line ${r.line}: need p10 ≤ p50 ≤ p90 (got ${p10}, ${p50}, ${p90})`);
    demand.set(m, { p10, p50, p90 });
  }
}

// prices.csv
const prices = new Map<string, { forward: string; bid: string | null; ask: string | null; vol: number }>();
{
  const seen = new Map<string, number>();
  for (const r of readCsv(pricesPath, ["month", "forward", "vol"])) {
    const m = month(pricesPath, r);
    noDuplicates(pricesPath, seen, m, r);
    number(pricesPath, r, "forward", (v) => v > 0, "a positive price (USD per 1M tokens)");
    const vol = number(pricesPath, r, "vol", (v) => v >= 0, "a non-negative annualised volatility");
    const bid = optionalPrice(pricesPath, r, "bid");
    const ask = optionalPrice(pricesPath, r, "ask");
    if (bid !== null && ask !== null && new Decimal(bid).gt(ask)) fail(`${pricesPath} line ${r.line}: bid ${bid} is above ask ${ask}`);
    prices.set(m, { forward: r.get("forward")!, bid, ask, vol });
  }
}
sameMonths(demandPath, demand, pricesPath, prices);

// policy.json
function readPolicy(): HedgePolicyInput {
  let raw: unknown;
  try {
    raw = JSON.parse(read(policyPath));
  } catch (e) {
    fail(`${policyPath}: not valid JSON (${(e as Error).message})`);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) fail(`${policyPath}: expected a JSON object`);
  const p = raw as Record<string, unknown>;
  const bad = (field: string, what: string): never => fail(`${policyPath}: ${field} must be ${what} (got ${JSON.stringify(p[field])})`);
  const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
  if (p.settlement !== "FINANCIAL" && p.settlement !== "SERVICE_CREDITS") bad("settlement", `"FINANCIAL" or "SERVICE_CREDITS"`);
  if (!isNum(p.minCoveragePct) || p.minCoveragePct < 0) bad("minCoveragePct", "a percentage ≥ 0");
  if (!isNum(p.maxCoveragePct) || p.maxCoveragePct < (p.minCoveragePct as number)) bad("maxCoveragePct", "a percentage ≥ minCoveragePct");
  if (!isNum(p.maxOverHedgeProb) || p.maxOverHedgeProb < 0 || p.maxOverHedgeProb > 1) bad("maxOverHedgeProb", "a probability between 0 and 1 (0.1 = 10%)");
  const lot = p.lotTokens ?? 1_000_000_000;
  if (!isNum(lot) || !Number.isSafeInteger(lot) || lot < 1) bad("lotTokens", "a positive whole number of tokens");
  let budgetUsd: string | null = null;
  if (p.budgetUsd !== undefined && p.budgetUsd !== null) {
    const b = typeof p.budgetUsd === "number" || typeof p.budgetUsd === "string" ? Number(p.budgetUsd) : NaN;
    if (!Number.isFinite(b) || b < 0) bad("budgetUsd", "a non-negative amount in USD");
    budgetUsd = String(p.budgetUsd);
  }
  let bands: TenorBand[] | null = null;
  if (p.bands !== undefined && p.bands !== null) {
    if (!Array.isArray(p.bands)) bad("bands", "a list of {fromMonth,toMonth,minCoveragePct,maxCoveragePct}");
    bands = (p.bands as unknown[]).map((b, i) => {
      const o = (b ?? {}) as Record<string, unknown>;
      const ok =
        Number.isInteger(o.fromMonth) &&
        Number.isInteger(o.toMonth) &&
        (o.fromMonth as number) >= 1 &&
        (o.toMonth as number) >= (o.fromMonth as number) &&
        isNum(o.minCoveragePct) &&
        isNum(o.maxCoveragePct) &&
        o.minCoveragePct >= 0 &&
        o.maxCoveragePct >= o.minCoveragePct;
      if (!ok) fail(`${policyPath}: bands[${i}] needs whole fromMonth ≥ 1, toMonth ≥ fromMonth and 0 ≤ minCoveragePct ≤ maxCoveragePct`);
      return o as unknown as TenorBand;
    });
  }
  return {
    settlement: p.settlement as HedgePolicyInput["settlement"],
    minCoveragePct: p.minCoveragePct as number,
    maxCoveragePct: p.maxCoveragePct as number,
    maxOverHedgeProb: p.maxOverHedgeProb as number,
    lotTokens: lot as number,
    budgetUsd,
    bands,
  };
}
const policy = readPolicy();

// q.csv
let quantities: Map<string, number> | null = null;
if (quantitiesPath) {
  quantities = new Map();
  const seen = new Map<string, number>();
  for (const r of readCsv(quantitiesPath, ["month", "quantity_tokens"])) {
    const m = month(quantitiesPath, r);
    noDuplicates(quantitiesPath, seen, m, r);
    quantities.set(m, number(quantitiesPath, r, "quantity_tokens", (v) => Number.isSafeInteger(v) && v >= 0, "a non-negative whole number of tokens"));
  }
  sameMonths(demandPath, demand, quantitiesPath, quantities);
}

// ---- run ---------------------------------------------------------------------------------------------------------

const monthKeys = [...demand.keys()].sort();
const first = monthKeys[0];
const months: MonthInput[] = monthKeys.map((m) => {
  const d = demand.get(m)!;
  const p = prices.get(m)!;
  return { month: m, demandP10: d.p10, demandP50: d.p50, demandP90: d.p90, forward: p.forward, bid: p.bid, ask: p.ask, vol: p.vol };
});
const gaps = monthKeys.filter((m, i) => i > 0 && m !== addMonths(monthKeys[i - 1], 1));
if (gaps.length) console.error(`note: months are not consecutive (gap before ${gaps.join(", ")}); times to delivery are counted from ${first}`);
const input: ClassInput = {
  classKey: "cli",
  months,
  annualVol: 0,
  monthsFromAsOf: monthKeys.map((m) => monthsBetween(first, m) + 0.5),
};

type OutRow = { month: string; q: number; strike: Decimal; p50: number; unhedged: CostStats; hedged: CostStats };
let rows: OutRow[];
let totals: { unhedged: CostStats; hedged: CostStats };
try {
  const paths = simulateClass(input, params);
  if (quantities) {
    const q = monthKeys.map((m) => quantities!.get(m)!);
    const un = evaluate(paths, q.map(() => 0), null, policy.settlement, { totalUsd: policy.budgetUsd });
    const ev = evaluate(paths, q, null, policy.settlement, { totalUsd: policy.budgetUsd });
    rows = monthKeys.map((m, i) => ({ month: m, q: q[i], strike: paths.strikeDecimal[i], p50: paths.p50[i], unhedged: un.months[i], hedged: ev.months[i] }));
    totals = { unhedged: un.total, hedged: ev.total };
  } else {
    // exhaustive over the band's lot multiples (exact to the lot) unless a month has more than 20,000 of them
    const rec = recommendOnPaths(input, paths, policy, null, { exhaustiveUpTo: 20_000 });
    rows = rec.months.map((mo, i) => ({ month: mo.month, q: mo.quantityTokens, strike: mo.strike, p50: paths.p50[i], unhedged: mo.strategies.unhedged, hedged: mo.strategies.recommended }));
    totals = { unhedged: rec.total.unhedged, hedged: rec.total.recommended };
    for (const mo of rec.months) {
      console.error(`${mo.month} ${mo.quantityTokens} tokens: ${mo.why}`);
      for (const w of mo.warnings) console.error(`${mo.month} warning: ${w}`);
    }
  }
} catch (e) {
  if (e instanceof RangeError) fail((e as Error).message);
  throw e;
}

const lines = ["month,quantity_tokens,strike,coverage_pct_of_p50,expected_cost_unhedged,expected_cost_hedged,p95_cost_unhedged,p95_cost_hedged,over_hedge_prob"];
for (const r of rows) {
  const cov = r.p50 > 0 ? ((r.q / r.p50) * 100).toFixed(2) : "";
  lines.push(
    [
      r.month,
      String(r.q),
      moneyString(r.strike),
      cov,
      moneyString(r.unhedged.expectedUsd),
      moneyString(r.hedged.expectedUsd),
      moneyString(r.unhedged.p95Usd),
      moneyString(r.hedged.p95Usd),
      r.hedged.overHedgeProb.toFixed(4),
    ].join(","),
  );
}
try {
  writeFileSync(outPath, lines.join("\n") + "\n");
} catch (e) {
  fail(`cannot write ${outPath}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
}
const t = totals;
console.error(
  `${quantities ? "given quantities" : "recommended"}, ${params.paths} paths, seed ${params.seed}, ${policy.settlement}: ` +
    `whole horizon expected ${moneyString(t.hedged.expectedUsd, 2)} (unhedged ${moneyString(t.unhedged.expectedUsd, 2)}), ` +
    `P95 ${moneyString(t.hedged.p95Usd, 2)} (unhedged ${moneyString(t.unhedged.p95Usd, 2)}), premium ${moneyString(t.hedged.premiumVsUnhedgedUsd, 2)} USD` +
    (t.hedged.budgetExceedProb !== null ? `, P(over budget) ${t.hedged.budgetExceedProb.toFixed(4)} (unhedged ${t.unhedged.budgetExceedProb!.toFixed(4)})` : ""),
);
console.error(`wrote ${rows.length} rows to ${outPath}`);
