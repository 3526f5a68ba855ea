/**
 * Read models for the CFO dashboard and the procurement landing page: hedge coverage, next quarter's budget at
 * risk and the inputs of the stress scenario, alerts, the to-do list, spend by class. Loads what the pure domain
 * needs (lib/domain/coverage.ts, scenario.ts) for one explicit day, org-scoped; never writes.
 */
import Decimal from "decimal.js";
import { prisma } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { addMonths } from "@/lib/domain/curve";
import { csvLine } from "@/lib/domain/csv";
import { coverageGrid, type Band, type CoverageCell, type MonthDemand } from "@/lib/domain/coverage";
import { dailyClassQuantiles, daysInMonth, errorAutocorrelation, monthlyDemand } from "@/lib/domain/demand";
import { simulateClass, type ClassInput, type ClassPaths, type SimParams } from "@/lib/domain/hedge";
import { budgetAtRisk, hedgesByMonth, linearSums, type LinearSums, NO_HEDGE, scenarioLineJson, scenarioLinesFromJson, stressScenario, type RiskClass, type RiskStats, type ScenarioLineJson, type Shock } from "@/lib/domain/scenario";
import { addDays, monthKey, parseDay, utcDay } from "@/lib/domain/time";
import { forwardOf } from "@/lib/domain/valuation";
import { fmtTokens, fmtUsd } from "@/lib/format";
import { dailyTokens, usageBreakdown, usageExtent, usageSeries } from "@/lib/services/usage";
import { curvesAsOf, type ClassCurve } from "@/lib/services/market-snapshot";
import { contractAlerts, listContracts } from "./contracts";
import { listCounterparties } from "./counterparties";
import { latestMarkDay } from "./marks";
import { listPolicies, policyFor } from "./policy";
import { latestRecommendations } from "./recommendations";
import { cachedRead } from "@/lib/services/read-cache";
import { requireOwned } from "@/lib/db/scope";
import { capacityShortfalls, capacityView } from "./capacity";
import { failedEffectiveness } from "./accounting";

const iso = (d: Date) => d.toISOString().slice(0, 10);
const COVERAGE_MONTHS = 12;
/** Windows ending (or starting) within this many days are called out. */
export const WINDOW_ALERT_DAYS = 14;
/** Simulation paths for the dashboard's budget at risk (the run's own count when lower). */
const DASHBOARD_PATHS = 10_000;

type HeldContract = Awaited<ReturnType<typeof openContracts>>[number];

/** Contracts pending approval, booked or delivering, with what the views need. */
async function openContracts(orgId: string) {
  return prisma.contract.findMany({
    where: { organizationId: orgId, status: { in: ["PENDING_APPROVAL", "BOOKED", "DELIVERING"] } },
    select: {
      id: true,
      reference: true,
      status: true,
      bookedById: true,
      counterpartyId: true,
      product: { select: { modelClassId: true, quantityTokens: true, windowStart: true, windowEnd: true, strikeUsdPerMTokens: true, settlement: true, modelClass: { select: { name: true } } } },
    },
    orderBy: { reference: "asc" },
  });
}
const isHeld = (c: HeldContract) => c.status === "BOOKED" || c.status === "DELIVERING";

// ---------------------------------------------------------------------------------------------------------------
// Coverage

/**
 * Monthly demand bands per class from the latest class forecasts (planner-adjusted where there is one), as the
 * recommendation job builds them: daily quantiles of input + output tokens, AR(1) error correlation from the
 * class's last 180 days of usage; full months only.
 */
async function classDemand(ctx: Ctx, asOf: Date) {
  const latest = await prisma.forecast.findFirst({ where: { organizationId: ctx.orgId, baseForecastId: null, asOf: { lte: asOf } }, orderBy: { asOf: "desc" }, select: { asOf: true } });
  const out = new Map<string, Map<string, MonthDemand>>();
  if (!latest) return { forecastAsOf: null, demand: out };
  const forecasts = await prisma.forecast.findMany({
    where: { organizationId: ctx.orgId, asOf: latest.asOf, teamId: null, modelClassId: { not: null }, baseForecastId: null },
    include: { points: true, adjusted: { include: { points: true } } },
  });
  await Promise.all(
    forecasts.map(async (f) => {
      const daily = dailyClassQuantiles((f.adjusted[0] ?? f).points);
      // the class's daily totals from the small per-class read model (not the usage rows)
      const history = await dailyTokens(ctx.orgId, { teamId: null, modelClassId: f.modelClassId!, after: addDays(asOf, -181), before: asOf });
      const rho = errorAutocorrelation(history.map((h) => Number(h.input + h.output)));
      const months = new Map<string, MonthDemand>();
      for (const m of monthlyDemand(daily, rho)) {
        if (m.days !== daysInMonth(m.month)) continue;
        months.set(m.month, { p10: BigInt(Math.round(m.p10)), p50: BigInt(Math.round(m.p50)), p90: BigInt(Math.round(m.p90)) });
      }
      out.set(f.modelClassId!, months);
    }),
  );
  return { forecastAsOf: iso(latest.asOf), demand: out };
}

export type CoverageCellView = {
  classId: string;
  month: string;
  tenor: number;
  p10Tokens: string | null;
  p50Tokens: string | null;
  p90Tokens: string | null;
  contractedTokens: string;
  pendingTokens: string;
  coveragePct: string | null;
  coverageAtP10Pct: string | null;
  coverageAtP90Pct: string | null;
  bandMinPct: string | null;
  bandMaxPct: string | null;
  bandMinTokens: string | null;
  bandMaxTokens: string | null;
  status: CoverageCell["status"];
  gapTokens: string;
};
export type CoverageView = {
  asOf: string;
  forecastAsOf: string | null;
  months: string[];
  classes: { id: string; name: string }[];
  cells: CoverageCellView[];
  totals: { classId: string; p50Tokens: string; contractedTokens: string; pendingTokens: string; coveragePct: string | null; under: number; over: number }[];
};

const pct2 = (d: Decimal | null) => (d ? d.toFixed(2) : null);
const tokensRounded = (d: Decimal | null | undefined) => (d ? d.round().toFixed(0) : null);

/** Coverage of the next 12 delivery months per class: forecast P10/P50/P90, contracted, % against the policy band. */
/** Cached per data version and day (lib/services/read-cache.ts) unless the caller supplies the contracts. */
export async function coverageView(ctx: Ctx, now = new Date(), held?: HeldContract[]): Promise<CoverageView> {
  if (held) return coverageViewUncached(ctx, now, held);
  return cachedRead(ctx, "coverageView", null, () => coverageViewUncached(ctx, now), now);
}
async function coverageViewUncached(ctx: Ctx, now = new Date(), held?: HeldContract[]): Promise<CoverageView> {
  const asOf = utcDay(now);
  const [classes, policies, demand, contracts] = await Promise.all([
    prisma.modelClass.findMany({ where: { organizationId: ctx.orgId }, orderBy: { name: "asc" }, select: { id: true, name: true } }),
    listPolicies(ctx.orgId),
    classDemand(ctx, asOf),
    held ? Promise.resolve(held) : openContracts(ctx.orgId),
  ]);
  const grid = coverageGrid({
    asOfMonth: monthKey(asOf),
    months: COVERAGE_MONTHS,
    classes: classes.map((c) => {
      const p = policyFor(policies, c.id);
      return { key: c.id, bands: p.bands as Band[], maxTenorMonths: p.maxTenorMonths, demand: demand.demand.get(c.id) ?? new Map() };
    }),
    contracts: contracts.map((c) => ({
      id: c.id,
      modelClass: c.product.modelClassId,
      quantityTokens: c.product.quantityTokens,
      windowStart: c.product.windowStart,
      windowEnd: c.product.windowEnd,
      state: isHeld(c) ? ("contracted" as const) : ("pending" as const),
    })),
  });
  return {
    asOf: iso(asOf),
    forecastAsOf: demand.forecastAsOf,
    months: grid.months,
    classes,
    cells: grid.cells.map((c) => ({
      classId: c.classKey,
      month: c.month,
      tenor: c.tenor,
      p10Tokens: c.demand?.p10.toString() ?? null,
      p50Tokens: c.demand?.p50.toString() ?? null,
      p90Tokens: c.demand?.p90.toString() ?? null,
      contractedTokens: c.contractedTokens.toString(),
      pendingTokens: c.pendingTokens.toString(),
      coveragePct: pct2(c.coveragePct),
      coverageAtP10Pct: pct2(c.coverageAtP10Pct),
      coverageAtP90Pct: pct2(c.coverageAtP90Pct),
      bandMinPct: c.band?.minPct.toString() ?? null,
      bandMaxPct: c.band?.maxPct.toString() ?? null,
      bandMinTokens: tokensRounded(c.band?.minTokens),
      bandMaxTokens: tokensRounded(c.band?.maxTokens),
      status: c.status,
      gapTokens: c.gapTokens.toString(),
    })),
    totals: grid.totals.map((t) => ({ classId: t.classKey, p50Tokens: t.p50Tokens.toString(), contractedTokens: t.contractedTokens.toString(), pendingTokens: t.pendingTokens.toString(), coveragePct: pct2(t.coveragePct), under: t.under, over: t.over })),
  };
}

export const COVERAGE_CSV_COLUMNS = [
  "model_class", "month", "tenor", "demand_p10_tokens", "demand_p50_tokens", "demand_p90_tokens", "contracted_tokens", "pending_approval_tokens",
  "coverage_pct_of_p50", "coverage_pct_of_p10", "coverage_pct_of_p90", "band_min_pct", "band_max_pct", "status", "gap_tokens",
] as const;

/** The coverage grid as CSV, one line per class × month (text neutralised against formula injection). */
export function coverageCsv(v: CoverageView): string {
  const name = new Map(v.classes.map((c) => [c.id, c.name]));
  const lines = [COVERAGE_CSV_COLUMNS.join(",")];
  for (const c of v.cells)
    lines.push(csvLine([name.get(c.classId) ?? c.classId, c.month, String(c.tenor), c.p10Tokens, c.p50Tokens, c.p90Tokens, c.contractedTokens, c.pendingTokens, c.coveragePct, c.coverageAtP10Pct, c.coverageAtP90Pct, c.bandMinPct, c.bandMaxPct, c.status, c.gapTokens]));
  return lines.join("\n") + "\n";
}

// ---------------------------------------------------------------------------------------------------------------
// Next quarter: budget at risk and the scenario's inputs

/** The calendar quarter after the one holding `d`: label (2027-Q1) and its months. */
export function nextQuarter(d: Date): { label: string; months: string[] } {
  const q = Math.floor(d.getUTCMonth() / 3) + 1;
  const first = new Date(Date.UTC(d.getUTCFullYear(), q * 3, 1));
  const start = monthKey(first);
  return { label: `${first.getUTCFullYear()}-Q${Math.floor(first.getUTCMonth() / 3) + 1}`, months: [start, addMonths(start, 1), addMonths(start, 2)] };
}

type StoredClass = { input: ClassInput };
export type ScenarioLineView = ScenarioLineJson;
export const scenarioLines = scenarioLinesFromJson;

/**
 * Next quarter's inputs: the latest recommendation run's stored simulation input per class (demand quantiles,
 * forwards, vol — "stored run params let you re-simulate") cut to the quarter's months, the hedges held for those
 * months, and the policy budgets. Null without a run.
 */
async function quarterInputs(ctx: Ctx, now: Date) {
  return cachedRead(ctx, "quarterInputs", iso(utcDay(now)), () => quarterInputsUncached(ctx, now), now);
}
/**
 * A class's simulated paths, kept while its quarter inputs are (the same cached object): a scenario ask then only
 * applies its shock to them. Deterministic, so keeping them changes no answer (lib/domain/scenario.test.ts).
 */
const keptPaths = new WeakMap<ClassInput, ClassPaths>();
function keptSimulation(input: ClassInput, params: Partial<SimParams>): ClassPaths {
  let p = keptPaths.get(input);
  if (!p) {
    p = simulateClass(input, params);
    keptPaths.set(input, p);
  }
  return p;
}
/** Each class's linear sums over its kept paths (lib/domain/scenario.ts linearSums), kept with them. */
const keptSums = new WeakMap<RiskClass, LinearSums | null>();
function keptLinear(c: RiskClass, paths: ClassPaths): LinearSums | null {
  if (!keptSums.has(c)) keptSums.set(c, linearSums(c, paths));
  return keptSums.get(c)!;
}
async function quarterInputsUncached(ctx: Ctx, now: Date) {
  const run = await prisma.recommendationRun.findFirst({ where: { organizationId: ctx.orgId }, orderBy: { createdAt: "desc" } });
  if (!run) return null;
  const quarter = nextQuarter(utcDay(now));
  const params = run.params as unknown as { sim: SimParams; classes: Record<string, StoredClass> };
  const [names, policies, held] = await Promise.all([
    prisma.modelClass.findMany({ where: { organizationId: ctx.orgId }, select: { id: true, name: true } }),
    listPolicies(ctx.orgId),
    openContracts(ctx.orgId),
  ]);
  const hedges = hedgesByMonth(
    held.filter(isHeld).map((c) => ({ ...forwardOf(c.id, c.product), settlement: c.product.settlement })),
  );
  const classes: (RiskClass & { classId: string; name: string })[] = [];
  const lines: ScenarioLineView[] = [];
  for (const [classId, stored] of Object.entries(params.classes ?? {})) {
    const idx = stored.input.months.map((m, i) => (quarter.months.includes(m.month) ? i : -1)).filter((i) => i >= 0);
    if (!idx.length) continue;
    const mid = stored.input.monthsFromAsOf;
    const input: ClassInput = { ...stored.input, months: idx.map((i) => stored.input.months[i]), monthsFromAsOf: idx.map((i) => (mid ? mid[i] : i + 0.5)) };
    const h = input.months.map((m) => hedges.get(`${classId}|${m.month}`) ?? NO_HEDGE);
    const override = policies.overrides.find((o) => o.modelClassId === classId);
    classes.push({ classId, name: names.find((n) => n.id === classId)?.name ?? classId, input, hedges: h, budgetUsd: override?.quarterlyBudgetUsd ?? null });
    input.months.forEach((m, i) => lines.push(scenarioLineJson({ classKey: classId, month: m.month, demandP50Tokens: BigInt(m.demandP50), forwardPerMTokens: new Decimal(m.forward.toString()), hedge: h[i] })));
  }
  const missing = names.filter((n) => !classes.some((c) => c.classId === n.id)).map((n) => n.name);
  return {
    run: { id: run.id, asOf: iso(run.asOf), createdAt: run.createdAt.toISOString() },
    quarter,
    classes,
    lines,
    /** the lines parsed once for the scenario asks */
    parsedLines: scenarioLines(lines),
    budgetUsd: policies.org.quarterlyBudgetUsd,
    sim: { ...params.sim, paths: Math.min(params.sim.paths, DASHBOARD_PATHS) },
    missing,
  };
}

export type RiskView = { expectedUsd: string; p95Usd: string; costAtRiskUsd: string; budgetExceedProb: number | null };
const riskView = (r: RiskStats): RiskView => ({ expectedUsd: r.expectedUsd.toFixed(2), p95Usd: r.p95Usd.toFixed(2), costAtRiskUsd: r.costAtRiskUsd.toFixed(2), budgetExceedProb: r.budgetExceedProb });

export type BudgetView = Awaited<ReturnType<typeof budgetView>>;

/** Next quarter's expected and P95 spend, hedged (contracts held) vs unhedged, against the policy budget. */
/** Cached per data version, day and shock (lib/services/read-cache.ts): the simulation runs once per change. */
export async function budgetView(ctx: Ctx, now = new Date(), shock?: Shock | null) {
  return cachedRead(ctx, "budgetView", shock ?? null, () => budgetViewUncached(ctx, now, shock), now);
}
async function budgetViewUncached(ctx: Ctx, now = new Date(), shock?: Shock | null) {
  const q = await quarterInputs(ctx, now);
  if (!q) return null;
  const r = budgetAtRisk(q.classes, q.sim, q.budgetUsd, shock, keptSimulation, { linear: keptLinear });
  return {
    run: q.run,
    quarter: q.quarter,
    budgetUsd: q.budgetUsd,
    paths: r.paths,
    missingClasses: q.missing,
    total: { hedged: riskView(r.total.hedged), unhedged: riskView(r.total.unhedged) },
    classes: r.classes.map((c, i) => ({ classId: q.classes[i].classId, name: q.classes[i].name, months: c.months, budgetUsd: q.classes[i].budgetUsd === null || q.classes[i].budgetUsd === undefined ? null : String(q.classes[i].budgetUsd), hedged: riskView(c.hedged), unhedged: riskView(c.unhedged) })),
    lines: q.lines,
    classNames: Object.fromEntries(q.classes.map((c) => [c.classId, c.name])),
  };
}

/**
 * GET /api/v1/scenario's answer: the class named must be the org's (404 otherwise); without a recommendation run,
 * an empty answer. Called by the route handler and by the web server's direct path (lib/web/direct-api.ts).
 */
export async function scenarioAnswer(ctx: Ctx, q: { spotChangePct: number; demandChangePct: number; modelClassId?: string | null }) {
  if (q.modelClassId) await requireOwned(ctx, "modelClass", q.modelClassId);
  return (await scenarioView(ctx, { spotChangePct: q.spotChangePct, demandChangePct: q.demandChangePct, classKey: q.modelClassId ?? null })) ?? { quarter: null, atP50: null, simulated: null };
}

/**
 * The stress scenario server-side (GET /api/v1/scenario): the deterministic result the page computes in the
 * browser with the same domain function, plus the simulated budget at risk under the same shock.
 */
export async function scenarioView(ctx: Ctx, shock: Shock, now = new Date()) {
  const q = await quarterInputs(ctx, now);
  if (!q) return null;
  const det = stressScenario(q.parsedLines, shock, q.budgetUsd);
  const sim = budgetAtRisk(q.classes, q.sim, q.budgetUsd, shock, keptSimulation, { classStats: false, linear: keptLinear });
  const pair = (p: { unhedgedUsd: Decimal; hedgedUsd: Decimal }) => ({ unhedgedUsd: p.unhedgedUsd.toFixed(2), hedgedUsd: p.hedgedUsd.toFixed(2) });
  return {
    quarter: q.quarter,
    shock: { spotChangePct: String(shock.spotChangePct), demandChangePct: String(shock.demandChangePct), modelClassId: shock.classKey ?? null },
    budgetUsd: q.budgetUsd,
    atP50: {
      classes: det.classes.map((c) => ({ modelClassId: c.classKey, base: pair(c.base), stressed: pair(c.stressed) })),
      total: { base: pair(det.total.base), stressed: pair(det.total.stressed), change: pair(det.total.change) },
      headroom: det.headroom ? pair(det.headroom) : null,
    },
    simulated: { paths: sim.paths, hedged: riskView(sim.total.hedged), unhedged: riskView(sim.total.unhedged) },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Alerts

export type Alert = {
  id: string;
  kind: "coverage" | "counterparty" | "drift" | "curve" | "window" | "approval" | "unmarked" | "capacity" | "effectiveness";
  severity: "high" | "medium" | "low";
  title: string;
  detail: string;
  href: string;
  linkText: string;
};
const SEVERITY = { high: 0, medium: 1, low: 2 } as const;

const monthEnd = (month: string) => iso(addDays(parseDay(`${addMonths(month, 1)}-01`), -1));

/**
 * What needs attention, most severe first: coverage outside the policy band, counterparties over their limit or
 * concentrated, open contracts with model drift, stale or thin curve points under open contracts, windows ending
 * within 14 days, approvals waiting, open contracts without a mark on the latest mark day.
 */
/** Cached per data version and day (what `pre` carries is derived from the same data). */
export async function dashboardAlerts(ctx: Ctx, now = new Date(), pre?: { coverage?: CoverageView; held?: HeldContract[] }): Promise<Alert[]> {
  return cachedRead(ctx, "dashboardAlerts", null, () => dashboardAlertsUncached(ctx, now, pre), now);
}
async function dashboardAlertsUncached(ctx: Ctx, now = new Date(), pre?: { coverage?: CoverageView; held?: HeldContract[] }): Promise<Alert[]> {
  const today = utcDay(now);
  const held = pre?.held ?? (await openContracts(ctx.orgId));
  const [coverage, counterparties, approvals, driftList, markDay, capacity, failedHedges] = await Promise.all([
    pre?.coverage ?? coverageView(ctx, now, held),
    listCounterparties(ctx),
    contractAlerts(ctx),
    listContracts(ctx, { page: 1, pageSize: 200, from: iso(today), sort: "windowStart", dir: "asc" }),
    latestMarkDay(ctx.orgId),
    capacityView(ctx, now),
    ctx.role === "CFO" || ctx.role === "ADMIN" ? failedEffectiveness(ctx) : Promise.resolve([]),
  ]);
  const classIds = [...new Set(held.map((c) => c.product.modelClassId))];
  const [curves, marked] = await Promise.all([
    classIds.length ? curvesAsOf(ctx.orgId, today, classIds) : Promise.resolve(new Map<string, ClassCurve>()),
    markDay ? prisma.contractMark.findMany({ where: { organizationId: ctx.orgId, asOf: markDay }, select: { contractId: true } }) : Promise.resolve([]),
  ]);
  const alerts: Alert[] = [];

  for (const cls of coverage.classes) {
    for (const status of ["under", "over"] as const) {
      const cells = coverage.cells.filter((c) => c.classId === cls.id && c.status === status);
      if (!cells.length) continue;
      const list = cells.map((c) => `${c.month} ${c.coveragePct === null ? "no demand" : `${Number(c.coveragePct).toFixed(0)}%`} (band ${c.bandMinPct}–${c.bandMaxPct}%)`).join(", ");
      alerts.push(
        status === "under"
          ? { id: `coverage-under-${cls.id}`, kind: "coverage", severity: "medium", title: `${cls.name}: under-hedged in ${cells.length} month${cells.length > 1 ? "s" : ""}`, detail: list, href: `/hedging/recommendations?class=${cls.id}`, linkText: "What to book" }
          : { id: `coverage-over-${cls.id}`, kind: "coverage", severity: "high", title: `${cls.name}: over-hedged in ${cells.length} month${cells.length > 1 ? "s" : ""}`, detail: list, href: `/contracts?modelClassId=${cls.id}&from=${cells[0].month}-01&to=${monthEnd(cells[cells.length - 1].month)}`, linkText: "Bookings in those months" },
      );
    }
  }
  for (const cp of counterparties)
    for (const w of cp.warnings)
      alerts.push({ id: `cp-${cp.id}-${w.slice(0, 12)}`, kind: "counterparty", severity: w.startsWith("over its limit") ? "high" : "medium", title: `${cp.name}: ${w}`, detail: `Open notional ${fmtUsd(cp.exposureUsd, 0)} against a limit of ${fmtUsd(cp.limitUsd, 0)}; ${cp.concentrationPct}% of all open hedged notional.`, href: `/contracts?counterpartyId=${cp.id}`, linkText: "Its bookings" });
  for (const c of driftList.items)
    if (c.drift && ["BOOKED", "DELIVERING", "PENDING_APPROVAL"].includes(c.status))
      alerts.push({ id: `drift-${c.id}`, kind: "drift", severity: "medium", title: `${c.reference}: model drift on ${c.modelClass.name}`, detail: `${c.drift.note} since booking; rule: ${c.drift.rule}.`, href: `/contracts/${c.id}`, linkText: `Open ${c.reference}` });
  for (const c of held) {
    const curve = curves.get(c.product.modelClassId);
    if (!curve) continue;
    const from = monthKey(c.product.windowStart > today ? c.product.windowStart : today);
    const to = monthKey(c.product.windowEnd);
    const flagged = curve.points.filter((p) => p.month >= from && p.month <= to && (p.stale || p.thin));
    if (!flagged.length) continue;
    const flags = (p: { stale: boolean; thin: boolean }) => [p.stale && "stale", p.thin && "thin"].filter(Boolean).join(" and ");
    alerts.push({
      id: `curve-${c.id}`,
      kind: "curve",
      severity: "low",
      title: `${c.reference}: valued on ${[...new Set(flagged.map(flags))].join(", ")} curve points`,
      detail: `${c.product.modelClass.name} curve of ${iso(curve.asOf)}: ${flagged.map((p) => `${p.month} ${flags(p)}`).join(", ")}.`,
      href: `/contracts/${c.id}`,
      linkText: `Open ${c.reference}`,
    });
  }
  const soon = addDays(today, WINDOW_ALERT_DAYS);
  for (const c of held)
    if (isHeld(c) && c.product.windowEnd >= today && c.product.windowEnd <= soon)
      alerts.push({ id: `window-${c.id}`, kind: "window", severity: "low", title: `${c.reference}: window ends ${iso(c.product.windowEnd)}`, detail: `${fmtTokens(c.product.quantityTokens)} tokens of ${c.product.modelClass.name}, ${c.product.settlement === "FINANCIAL" ? "financially settled" : "service credits"}; cover for the months after it has to come from new contracts.`, href: `/contracts/${c.id}`, linkText: `Open ${c.reference}` });
  if (approvals.pendingApprovals > 0 && (ctx.role === "CFO" || ctx.role === "ADMIN"))
    alerts.push({ id: "approvals", kind: "approval", severity: "high", title: `${approvals.pendingApprovals} contract${approvals.pendingApprovals > 1 ? "s" : ""} waiting for approval`, detail: "Bookings above the policy's approval threshold wait for a CFO who did not book them.", href: "/approvals", linkText: "Review the queue" });
  for (const s of capacityShortfalls(capacity))
    alerts.push({ id: `capacity-${s.classId}`, kind: "capacity", severity: "high", title: `${s.name}: reserved capacity below the forecast peak in ${s.months.length} month${s.months.length > 1 ? "s" : ""}`, detail: s.detail, href: "/procurement#capacity", linkText: "Capacity coverage" });
  for (const f of failedHedges)
    alerts.push({ id: `effectiveness-${f.contractId}-${f.month}`, kind: "effectiveness", severity: "high", title: `${f.reference}: hedge not effective in ${f.month}${f.ratioPct ? ` (${f.ratioPct}%)` : ""}`, detail: f.explanation, href: `/contracts/${f.contractId}/designation`, linkText: `Designation memo ${f.reference}` });
  const markedIds = new Set(marked.map((m) => m.contractId));
  for (const c of held)
    if (isHeld(c) && c.product.windowEnd >= today && !markedIds.has(c.id))
      alerts.push({ id: `unmarked-${c.id}`, kind: "unmarked", severity: "low", title: `${c.reference}: no mark ${markDay ? `on ${iso(markDay)}` : "yet"}`, detail: "Marks are computed after each curve rebuild and nightly; a contract booked since, or one whose class has no curve point for a month of its window, has none. The job log says which.", href: `/contracts/${c.id}`, linkText: `Open ${c.reference}` });
  return alerts.sort((a, b) => SEVERITY[a.severity] - SEVERITY[b.severity]);
}

// ---------------------------------------------------------------------------------------------------------------
// Spend

/**
 * Spend at list price in calendar months (whole months read the priced monthly model, whatever the org's size):
 * the last complete month against the one before, the current month to date, the last three complete months by
 * class, and twelve months stacked by class.
 */
export async function spendView(ctx: Ctx) {
  return cachedRead(ctx, "spendView", null, () => spendViewUncached(ctx));
}
async function spendViewUncached(ctx: Ctx) {
  const extent = await usageExtent(ctx);
  if (!extent.records || !extent.last) return null;
  const last = extent.last;
  const monthStart = (d: Date, add = 0) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + add, 1));
  const monthEnd = (d: Date, add = 0) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + add + 1, 0));
  const complete = monthEnd(last).getTime() === utcDay(last).getTime();
  const lastFull = complete ? 0 : -1; // offset of the last complete month from last's month
  const range = (fromAdd: number, toAdd: number) => ({ from: iso(monthStart(last, fromAdd)), to: iso(monthEnd(last, toAdd)) });
  const classes = await prisma.modelClass.findMany({ where: { organizationId: ctx.orgId }, orderBy: { name: "asc" }, select: { id: true, name: true } });
  const [cur, prev, mtd, byClass, monthly, perClass] = await Promise.all([
    usageBreakdown(ctx, range(lastFull, lastFull), "class"),
    usageBreakdown(ctx, range(lastFull - 1, lastFull - 1), "class"),
    complete ? Promise.resolve(null) : usageBreakdown(ctx, range(0, 0), "class"),
    usageBreakdown(ctx, range(lastFull - 2, lastFull), "class"),
    usageSeries(ctx, range(-11, 0), "month"),
    Promise.all(classes.map((c) => usageSeries(ctx, { modelClassId: c.id, ...range(-11, 0) }, "month"))),
  ]);
  const sum = (rows: { listCostUsd: string }[]) => rows.reduce((s, r) => s.plus(r.listCostUsd), new Decimal(0));
  const curSum = sum(cur);
  const prevSum = sum(prev);
  const months = monthly.map((r) => monthKey(r.bucket));
  const stacked = months.map((m) => ({ month: m, byClass: Object.fromEntries(classes.map((c, i) => [c.id, perClass[i].find((r) => monthKey(r.bucket) === m)?.listCostUsd ?? "0.00"])) }));
  return {
    last: iso(last),
    classes,
    lastMonth: monthKey(monthStart(last, lastFull)),
    previousMonth: monthKey(monthStart(last, lastFull - 1)),
    lastMonthUsd: curSum.toFixed(2),
    growthPct: prevSum.isZero() ? null : curSum.minus(prevSum).div(prevSum).mul(100).toFixed(1),
    runRateUsd: curSum.mul(12).toFixed(0),
    monthToDate: mtd ? { month: monthKey(last), usd: sum(mtd).toFixed(2) } : null,
    byClass3m: byClass.map((r) => ({ key: r.key, inputTokens: r.inputTokens.toString(), outputTokens: r.outputTokens.toString(), listCostUsd: r.listCostUsd })),
    monthly: monthly.map((r) => ({ month: monthKey(r.bucket), partial: !complete && monthKey(r.bucket) === monthKey(last), inputTokens: r.inputTokens.toString(), outputTokens: r.outputTokens.toString(), listCostUsd: r.listCostUsd })),
    stacked,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Procurement: what needs doing

export type Task = { id: string; severity: Alert["severity"]; title: string; detail: string; href: string; linkText: string };

/** The procurement landing page's to-do list: recommendations to book first, then the alerts that ask for action. */
export async function procurementTasks(ctx: Ctx, now = new Date()) {
  return cachedRead(ctx, "procurementTasks", null, () => procurementTasksUncached(ctx, now), now);
}
async function procurementTasksUncached(ctx: Ctx, now = new Date()) {
  const today = utcDay(now);
  const held = await openContracts(ctx.orgId);
  const coverage = await coverageView(ctx, now, held);
  const [recs, alerts, curves] = await Promise.all([latestRecommendations(ctx), dashboardAlerts(ctx, now, { coverage, held }), curvesAsOf(ctx.orgId, today)]);
  const tasks: Task[] = [];
  // one task per class: what the latest run says is still to book, month by month; the first month links to a
  // pre-filled booking, the plan below the list has a link per month
  const booking: (Task & { notional: Decimal })[] = [];
  for (const c of recs.classes) {
    const open = c.months.filter((m) => m.status === "OPEN" && m.toBookTokens !== "0");
    if (!open.length) continue;
    const total = open.reduce((s, m) => s + BigInt(m.toBookTokens), 0n);
    const notional = open.reduce((s, m) => s.add(new Decimal(m.toBookTokens).mul(m.strikeUsdPerMTokens).div(1e6)), new Decimal(0));
    booking.push({
      notional,
      id: `book-${c.modelClassId}`,
      severity: "medium",
      title: `${c.name}: book ${fmtTokens(total)} tokens over ${open.length} month${open.length > 1 ? "s" : ""} (≈ ${fmtUsd(notional.toFixed(0), 0)} at the recommended strikes)`,
      detail: open.map((m) => `${m.month}: ${fmtTokens(m.toBookTokens)} more (${fmtTokens(m.quantityTokens)} recommended, ${fmtTokens(m.contractedTokens)} held)`).join(" · "),
      href: `/contracts/new?recommendation=${open[0].id}`,
      linkText: `Book ${c.name} ${open[0].month}`,
    });
  }
  // the largest amounts to book first
  for (const { notional, ...t } of booking.sort((a, b) => b.notional.comparedTo(a.notional))) tasks.push(t);
  for (const a of alerts) if (a.kind !== "coverage" || a.id.startsWith("coverage-over")) tasks.push(a);
  const soon = addDays(today, WINDOW_ALERT_DAYS);
  for (const c of held)
    if (c.status === "BOOKED" && c.product.windowStart > today && c.product.windowStart <= soon)
      tasks.push({ id: `starts-${c.id}`, severity: "low", title: `${c.reference}: delivery starts ${iso(c.product.windowStart)}`, detail: `${fmtTokens(c.product.quantityTokens)} tokens of ${c.product.modelClass.name} with ${c.product.settlement === "FINANCIAL" ? "financial settlement" : "service credits"}.`, href: `/contracts/${c.id}`, linkText: `Open ${c.reference}` });
  const mine = held.filter((c) => c.status === "PENDING_APPROVAL" && c.bookedById === ctx.actorId);
  if (mine.length) tasks.push({ id: "pending-mine", severity: "low", title: `${mine.length} of your bookings wait for a CFO's approval`, detail: mine.map((c) => c.reference).join(", "), href: `/contracts?status=PENDING_APPROVAL`, linkText: "Pending bookings" });
  for (const [, curve] of curves) {
    const age = Math.round((today.getTime() - curve.asOf.getTime()) / 86_400_000);
    if (age > 2) tasks.push({ id: `curve-age-${curve.modelClassId}`, severity: "low", title: `Curve ${age} days old`, detail: `The latest curve for this class is of ${iso(curve.asOf)}: import quotes or rebuild.`, href: `/market?class=${curve.modelClassId}`, linkText: "Curve page" });
  }
  return { coverage, recommendations: recs, tasks: tasks.sort((a, b) => SEVERITY[a.severity] - SEVERITY[b.severity]) };
}
