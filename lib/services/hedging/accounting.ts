/**
 * Hedge accounting (ASC 815 / IFRS 9 practice): designation of a contract as a cash-flow hedge of its class's
 * forecast usage, the monthly effectiveness table, and the trade register for auditors.
 *
 * - Designation (CFO only): a BOOKED or DELIVERING contract, once, as of `now` (the designation day: the curve,
 *   forecast and usage it reads are those as of that day, so the demo seed can record one on a past day). The hedged months are the window's months not
 *   yet over on the designation day; each is recorded with its quantity and the forward in force that day (the
 *   dollar-offset baseline). The prospective critical-terms test (lib/domain/effectiveness.ts) must pass: the
 *   forecast for a month is the class roll-up forecast's P50 for its window days from the designation day on,
 *   plus the usage already recorded on its earlier days. Designation row, months, DESIGNATED event and audit row
 *   are written in one transaction under the contract's row lock, so designating twice (even at once) is a 409.
 * - Effectiveness is computed on read from stored data only: a month is tested once it has a settlement; its
 *   index price is the settlement's average spot (financial) or the realised period price of the contract's
 *   latest mark (service credits, marked as financial); usage and its realised price come from the daily usage
 *   totals of the class over the month's window days — the reported cost when every usage row of those days
 *   carried one, else the cost at the list price in force each day. A month is a drift month when a model version
 *   of the class took effect on one of its window days.
 * - The register lists every contract with its product terms (service terms included: reservation, uptime, latency,
 *   support tier and the credit rule in words) and its events; its valuation column is each contract's mark on the org's
 *   latest mark day — the day the MTM page shows — so its TOTAL equals that page's total value.
 */
import Decimal from "decimal.js";
import type { z } from "zod";
import { Prisma } from "@/lib/generated/prisma/client";
import { prisma } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { requireOwned } from "@/lib/db/scope";
import { badRequest, conflict, forbidden, notFound } from "@/lib/errors";
import { audit } from "@/lib/services/audit";
import { csvLine } from "@/lib/domain/csv";
import { MONEY_DP, TOKENS_PER_PRICE_UNIT, moneyString, sumDecimals } from "@/lib/domain/money";
import { addDays, monthKey, parseDay, utcDay } from "@/lib/domain/time";
import { forwardOf, periodsOf, type Period } from "@/lib/domain/valuation";
import { effectivenessRow, prospectiveTest, retrospectiveTest, type ProspectiveResult, type RetrospectiveMonth } from "@/lib/domain/effectiveness";
import { curvesAsOf } from "@/lib/services/market-snapshot";
import { classDayTokens } from "@/lib/services/usage";
import { latestMarkDay, type StoredPeriod } from "./marks";
import { notionalUsd, serviceTermsOf } from "./contracts";
import type { designateHedgeSchema } from "@/lib/validation/contracts";

const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const DESIGNATABLE = ["BOOKED", "DELIVERING"] as const;
export const EFFECTIVENESS_METHOD = "DOLLAR_OFFSET";

const CONTRACT_INCLUDE = { product: { include: { modelClass: true, provider: true } }, counterparty: true } as const;

/** Forecast P50 tokens per month of the periods: the roll-up forecast in force on `today` (latest as of that day) from `today` on, recorded usage before it. */
async function forecastByMonth(orgId: string, classId: string, periods: Period[], today: Date): Promise<Map<string, bigint | null>> {
  const out = new Map<string, bigint | null>();
  if (!periods.length) return out;
  const from = periods[0].firstDay;
  const to = periods.at(-1)!.lastDay;
  const forecast = await prisma.forecast.findFirst({
    // the forecast in force on the designation day, not a later one (a designation may be recorded as of a past day)
    where: { organizationId: orgId, modelClassId: classId, teamId: null, baseForecastId: null, asOf: { lte: today } },
    orderBy: [{ asOf: "desc" }, { createdAt: "desc" }],
    select: { id: true },
  });
  const points = forecast
    ? await prisma.forecastPoint.groupBy({ by: ["date"], where: { forecastId: forecast.id, date: { gte: today > from ? today : from, lte: to } }, _sum: { p50: true } })
    : [];
  const usage = today > from ? await classDayTokens(orgId, { from, before: today, classIds: [classId] }) : [];
  for (const p of periods) {
    const inMonth = (d: Date) => d.getTime() >= p.firstDay.getTime() && d.getTime() <= p.lastDay.getTime();
    const forecastDays = points.filter((x) => inMonth(x.date));
    // covered when the forecast reaches the month's last window day (or the month is already over)
    const covered = p.lastDay.getTime() < today.getTime() || forecastDays.some((x) => x.date.getTime() === p.lastDay.getTime());
    if (!covered) {
      out.set(p.month, null);
      continue;
    }
    const fromForecast = forecastDays.reduce((s, x) => s + (x._sum.p50 ?? 0n), 0n);
    const recorded = usage.filter((u) => inMonth(u.day)).reduce((s, u) => s + u.tokens, 0n);
    out.set(p.month, fromForecast + recorded);
  }
  return out;
}

type DesignateInput = z.output<typeof designateHedgeSchema>;

/** Designates a contract as a cash-flow hedge (see header). */
export async function designateHedge(ctx: Ctx, contractId: string, input: DesignateInput, now = new Date()) {
  if (ctx.role !== "CFO") throw forbidden("Only a CFO can designate a hedge");
  await requireOwned(ctx, "contract", contractId);
  const today = utcDay(now);
  const c = await prisma.contract.findFirstOrThrow({ where: { id: contractId, organizationId: ctx.orgId }, include: { ...CONTRACT_INCLUDE, designation: { select: { id: true } } } });
  if (c.designation) throw conflict(`Contract ${c.reference} is already designated as a hedge`);
  if (!(DESIGNATABLE as readonly string[]).includes(c.status)) throw conflict(`Cannot designate a contract that is ${c.status.toLowerCase().replace("_", " ")}: only booked or delivering contracts can be hedging instruments`);
  const p = c.product;
  const periods = periodsOf(forwardOf(c.id, p)).filter((x) => x.lastDay.getTime() >= today.getTime());
  if (!periods.length) throw conflict(`Every month of ${c.reference}'s window is over: nothing is left to hedge`);
  const curve = (await curvesAsOf(ctx.orgId, today, [p.modelClassId])).get(p.modelClassId);
  const missing = periods.filter((x) => !curve?.prices.get(x.month)).map((x) => x.month);
  if (missing.length) throw badRequest(`No forward for ${p.modelClass.name} in ${missing.join(", ")} on ${isoDay(today)}: build the curve before designating`, [{ path: "contract", message: `no forward for ${missing.join(", ")}` }]);
  const forecast = await forecastByMonth(ctx.orgId, p.modelClassId, periods, today);
  const prospective = prospectiveTest(p.modelClass.name, periods.map((x) => ({ month: x.month, hedgedTokens: x.quantityTokens, forecastP50Tokens: forecast.get(x.month) ?? null })));
  if (!prospective.passed) {
    const failed = prospective.criteria.filter((x) => !x.passed);
    throw badRequest(`The prospective test fails: ${failed.map((x) => x.reason).join("; ")}`, failed.map((x) => ({ path: `prospective.${x.criterion.toLowerCase()}`, message: x.reason })));
  }
  const months = periods.map((x) => ({ month: parseDay(`${x.month}-01`), hedgedTokens: x.quantityTokens, forwardUsdPerMTokens: moneyString(curve!.prices.get(x.month)!) }));
  const hedgedItem = `Forecast usage of ${p.modelClass.name} (all teams) on the window days of ${periods[0].month} to ${periods.at(-1)!.month}: per month the first ${periods.map((x) => `${x.quantityTokens} (${x.month})`).join(", ")} tokens used, at the realised price of that usage`;
  const hedgingInstrument = `${c.reference}: ${p.settlement === "FINANCIAL" ? "cash-settled average-price forward" : "service-credit forward"} with ${c.counterparty.name}, ${p.quantityTokens} tokens of ${p.modelClass.name} at ${moneyString(p.strikeUsdPerMTokens.toString())} USD per 1M tokens, ${isoDay(p.windowStart)} to ${isoDay(p.windowEnd)}`;

  await prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "Contract" WHERE id = ${contractId} FOR UPDATE`;
    const locked = await tx.contract.findFirstOrThrow({ where: { id: contractId, organizationId: ctx.orgId }, select: { status: true, designation: { select: { id: true } } } });
    if (locked.designation) throw conflict(`Contract ${c.reference} is already designated as a hedge`);
    if (!(DESIGNATABLE as readonly string[]).includes(locked.status)) throw conflict(`Cannot designate a contract that is ${locked.status.toLowerCase()}`);
    const d = await tx.hedgeDesignation.create({
      data: {
        organizationId: ctx.orgId, contractId, designatedAt: now, designatedById: ctx.actorId, designatedByName: ctx.actorName,
        riskManagementObjective: input.riskManagementObjective, hedgedItem, hedgingInstrument, effectivenessMethod: EFFECTIVENESS_METHOD,
        prospective: prospective as unknown as Prisma.InputJsonValue, months: { createMany: { data: months } },
      },
    });
    const record = { designationId: d.id, hedgeType: "CASH_FLOW", effectivenessMethod: EFFECTIVENESS_METHOD, hedgedMonths: periods.map((x) => x.month), riskManagementObjective: input.riskManagementObjective };
    await tx.contractEvent.create({
      data: { organizationId: ctx.orgId, contractId, actorId: ctx.actorId, actorName: ctx.actorName, type: "DESIGNATED", at: now, before: { status: locked.status }, after: { status: locked.status, ...record }, comment: input.riskManagementObjective },
    });
    await audit(tx, ctx, "hedge.designate", "contract", contractId, { reference: c.reference, ...record });
  });
  return hedgeAccounting(ctx, contractId);
}

type UsageMonth = { month: string; tokens: bigint; realisedPrice: Decimal | null };

/** Tokens and realised price of the class's usage per month over the window days [from, to] (see header). */
async function usageByMonth(orgId: string, classId: string, from: Date, to: Date): Promise<Map<string, UsageMonth>> {
  // summed over teams per model × day first, then priced once per model × day (the price in force is the same for
  // every team that day, so Σ tokens × price = (Σ tokens) × price exactly): a price lookup per model-day, not per row
  const rows = await prisma.$queryRaw<{ month: Date; tokens: bigint; list_cost: Prisma.Decimal | null; reported: Prisma.Decimal | null; rows: bigint; cost_rows: bigint }[]>`
    WITH md AS (
      SELECT s."modelId" AS model_id, d.day, sum(d."inputTokens") AS i, sum(d."outputTokens") AS o, sum(d."cachedInputTokens") AS c,
             sum(d."costUsd") AS reported, sum(d.rows) AS rows, sum(d."costRows") AS cost_rows
        FROM "UsageDaily" d JOIN "UsageSeries" s ON s.id = d."seriesId" JOIN "Model" m ON m.id = s."modelId"
       WHERE s."organizationId" = ${orgId} AND m."modelClassId" = ${classId} AND d.day >= ${from}::date AND d.day <= ${to}::date
       GROUP BY 1, 2)
    SELECT date_trunc('month', md.day)::timestamp AS month, sum(md.i + md.o)::bigint AS tokens,
           sum(((md.i - md.c) * p."inputUsdPerMTokens" + md.c * coalesce(p."cachedInputUsdPerMTokens", p."inputUsdPerMTokens")
                + md.o * p."outputUsdPerMTokens") / 1000000) AS list_cost,
           sum(md.reported) AS reported, sum(md.rows)::bigint AS rows, sum(md.cost_rows)::bigint AS cost_rows
      FROM md
      LEFT JOIN LATERAL (SELECT * FROM "ModelPrice" mp WHERE mp."modelId" = md.model_id AND mp."effectiveFrom" <= md.day ORDER BY mp."effectiveFrom" DESC LIMIT 1) p ON true
     GROUP BY 1`;
  return new Map(
    rows.map((r) => {
      const cost = r.rows > 0n && r.cost_rows === r.rows && r.reported !== null ? r.reported : r.list_cost;
      const realisedPrice = r.tokens > 0n && cost !== null ? new Decimal(cost.toString()).mul(TOKENS_PER_PRICE_UNIT).div(r.tokens.toString()) : null;
      return [monthKey(r.month), { month: monthKey(r.month), tokens: r.tokens, realisedPrice }];
    }),
  );
}

/** A contract's designation with its prospective test and monthly effectiveness table; 404 when not designated. */
export async function hedgeAccounting(ctx: Pick<Ctx, "orgId">, contractId: string) {
  await requireOwned(ctx, "contract", contractId);
  const c = await prisma.contract.findFirstOrThrow({
    where: { id: contractId, organizationId: ctx.orgId },
    include: { ...CONTRACT_INCLUDE, designation: { include: { months: { orderBy: { month: "asc" } } } }, settlements: { orderBy: { periodMonth: "asc" } } },
  });
  const d = c.designation;
  if (!d) throw notFound("Hedge designation");
  const p = c.product;
  const periods = new Map(periodsOf(forwardOf(c.id, p)).map((x) => [x.month, x]));
  const hedged = d.months.map((m) => ({ ...m, key: monthKey(m.month), period: periods.get(monthKey(m.month))! }));
  const settledBy = new Map(c.settlements.map((s) => [monthKey(s.periodMonth), s]));
  const latestMark = p.settlement === "SERVICE_CREDITS" ? await prisma.contractMark.findFirst({ where: { contractId, organizationId: ctx.orgId }, orderBy: { asOf: "desc" }, select: { periods: true } }) : null;
  const markPrice = (month: string) => {
    const row = ((latestMark?.periods ?? []) as unknown as StoredPeriod[]).find((x) => x.period === month && x.state === "realised");
    return row ? new Decimal(row.price) : null;
  };
  const from = hedged[0].period.firstDay;
  const to = hedged.at(-1)!.period.lastDay;
  const [usage, versions] = await Promise.all([
    usageByMonth(ctx.orgId, p.modelClassId, from, to),
    prisma.modelVersion.findMany({
      where: { organizationId: ctx.orgId, model: { modelClassId: p.modelClassId }, effectiveFrom: { gte: from, lt: addDays(to, 1) } },
      select: { version: true, effectiveFrom: true, model: { select: { name: true } } },
      orderBy: { effectiveFrom: "asc" },
    }),
  ]);
  const inputs: RetrospectiveMonth[] = [];
  const pending: { month: string; reason: string }[] = [];
  for (const m of hedged) {
    const s = settledBy.get(m.key);
    const index = s ? (s.avgSpotUsdPerMTokens ? new Decimal(s.avgSpotUsdPerMTokens.toString()) : markPrice(m.key)) : null;
    if (!s || !index) {
      pending.push({ month: m.key, reason: !s ? "not settled yet" : "no realised mark for the month yet" });
      continue;
    }
    const u = usage.get(m.key);
    const drift = versions.filter((v) => v.effectiveFrom.getTime() >= m.period.firstDay.getTime() && v.effectiveFrom.getTime() <= m.period.lastDay.getTime());
    inputs.push({
      month: m.key,
      hedgedTokens: m.hedgedTokens,
      forwardAtDesignation: m.forwardUsdPerMTokens.toString(),
      indexPrice: index,
      usageTokens: u?.tokens ?? 0n,
      realisedPrice: u?.realisedPrice ?? null,
      drift: drift.length ? drift.map((v) => `${v.model.name} ${v.version} effective ${isoDay(v.effectiveFrom)}`).join(", ") : null,
    });
  }
  const table = retrospectiveTest(inputs).map(effectivenessRow);
  return {
    contract: {
      id: c.id, reference: c.reference, status: c.status, counterparty: c.counterparty.name, provider: p.provider.name, modelClass: p.modelClass.name, settlement: p.settlement,
      quantityTokens: p.quantityTokens.toString(), windowStart: isoDay(p.windowStart), windowEnd: isoDay(p.windowEnd), strikeUsdPerMTokens: moneyString(p.strikeUsdPerMTokens.toString()),
      notionalUsd: notionalUsd(p.quantityTokens, p.strikeUsdPerMTokens.toString()).toFixed(2),
    },
    designation: {
      id: d.id, hedgeType: "CASH_FLOW" as const, designatedAt: d.designatedAt.toISOString(), designatedByName: d.designatedByName, riskManagementObjective: d.riskManagementObjective,
      hedgedItem: d.hedgedItem, hedgingInstrument: d.hedgingInstrument, effectivenessMethod: d.effectivenessMethod, prospective: d.prospective as unknown as ProspectiveResult,
      months: hedged.map((m) => ({ month: m.key, hedgedTokens: m.hedgedTokens.toString(), forwardUsdPerMTokens: moneyString(m.forwardUsdPerMTokens.toString()) })),
    },
    effectiveness: table,
    pending,
    summary: table.length ? { monthsTested: table.length, monthsFailed: table.filter((r) => !r.effective).length, cumulative: table.at(-1)!.cumulative } : null,
  };
}

/**
 * Failed months of every designated hedge of the org (for the dashboard alerts): each month whose dollar offset
 * fell outside 80–125%, with the explanation of its cause.
 */
export async function failedEffectiveness(ctx: Pick<Ctx, "orgId">) {
  const designated = await prisma.hedgeDesignation.findMany({ where: { organizationId: ctx.orgId }, select: { contractId: true }, orderBy: { designatedAt: "asc" } });
  const out: { contractId: string; reference: string; month: string; ratioPct: string | null; explanation: string }[] = [];
  for (const d of designated) {
    const a = await hedgeAccounting(ctx, d.contractId);
    for (const r of a.effectiveness) if (!r.effective) out.push({ contractId: d.contractId, reference: a.contract.reference, month: r.month, ratioPct: r.ratioPct, explanation: r.explanation ?? "outside 80%–125%" });
  }
  return out;
}

/** Whether a contract is designated (for links on the contract page). */
export async function designationOf(ctx: Pick<Ctx, "orgId">, contractId: string) {
  return prisma.hedgeDesignation.findFirst({ where: { contractId, organizationId: ctx.orgId }, select: { id: true, designatedAt: true, designatedByName: true } });
}

export const REGISTER_COLUMNS = [
  "record", "contract_reference", "status", "counterparty", "provider", "model_class", "settlement",
  "reserved_tokens_per_minute", "uptime_commitment_pct", "latency_p95_ms", "support_tier", "service_credit_rule", "quantity_tokens", "window_start", "window_end",
  "strike_usd_per_mtok", "notional_usd", "substitution_rule", "booked_at", "booked_by", "approved_at", "approved_by", "designated_at", "designated_by",
  "mark_as_of", "mark_value_usd", "event_at", "event_type", "event_actor", "event_status_from", "event_status_to", "event_comment",
] as const;

/**
 * The trade register: per contract (by reference) a CONTRACT line with its terms, who executed and approved it and
 * when, its designation and its mark on the latest mark day; then one EVENT line per contract event; then a TOTAL
 * line (notional and mark value summed over the contracts). Text cells are neutralised against formula injection.
 */
export async function tradeRegister(ctx: Pick<Ctx, "orgId">) {
  const asOf = await latestMarkDay(ctx.orgId);
  const [contracts, marks] = await Promise.all([
    prisma.contract.findMany({
      where: { organizationId: ctx.orgId },
      include: { ...CONTRACT_INCLUDE, events: { orderBy: [{ at: "asc" }, { id: "asc" }] }, designation: { select: { designatedAt: true, designatedByName: true } } },
      orderBy: { reference: "asc" },
    }),
    asOf ? prisma.contractMark.findMany({ where: { organizationId: ctx.orgId, asOf }, select: { contractId: true, valueUsd: true } }) : Promise.resolve([]),
  ]);
  const markOf = new Map(marks.map((m) => [m.contractId, m.valueUsd.toString()]));
  const lines: (string | null)[][] = [];
  const notionals: Decimal[] = [];
  for (const c of contracts) {
    const p = c.product;
    const notional = notionalUsd(p.quantityTokens, p.strikeUsdPerMTokens.toString());
    notionals.push(notional);
    const approval = [...c.events].reverse().find((e) => e.type === "APPROVED");
    const mark = markOf.get(c.id);
    const terms = serviceTermsOf(p);
    const termCells = [terms?.reservedTokensPerMinute ?? null, terms?.uptimeCommitmentPct ?? null, terms?.latencyP95Ms?.toString() ?? null, terms?.supportTier ?? null, terms?.serviceCreditText ?? null];
    const contractCells = [c.reference, c.status, c.counterparty.name, p.provider.name, p.modelClass.name, p.settlement, ...termCells, p.quantityTokens.toString(), isoDay(p.windowStart), isoDay(p.windowEnd), moneyString(p.strikeUsdPerMTokens.toString())];
    lines.push([
      "CONTRACT", ...contractCells, notional.toFixed(2), c.substitutionRule, c.bookedAt.toISOString(), c.bookedByName, c.approvedAt?.toISOString() ?? null, approval?.actorName ?? null,
      c.designation?.designatedAt.toISOString() ?? null, c.designation?.designatedByName ?? null, mark !== undefined && asOf ? isoDay(asOf) : null, mark !== undefined ? moneyString(mark) : null,
      null, null, null, null, null, null,
    ]);
    for (const e of c.events) {
      const status = (v: unknown) => (v && typeof v === "object" && "status" in v ? String((v as { status: unknown }).status) : null);
      const line: (string | null)[] = REGISTER_COLUMNS.map(() => null);
      line[0] = "EVENT";
      line[1] = c.reference;
      line.splice(REGISTER_COLUMNS.indexOf("event_at"), 6, e.at.toISOString(), e.type, e.actorName, status(e.before), status(e.after), e.comment);
      lines.push(line);
    }
  }
  const totalMark = sumDecimals(marks.map((m) => m.valueUsd.toString()));
  const total: (string | null)[] = REGISTER_COLUMNS.map(() => null);
  total[0] = "TOTAL";
  total[REGISTER_COLUMNS.indexOf("notional_usd")] = sumDecimals(notionals).toFixed(2);
  total[REGISTER_COLUMNS.indexOf("mark_as_of")] = asOf ? isoDay(asOf) : null;
  total[REGISTER_COLUMNS.indexOf("mark_value_usd")] = totalMark.toFixed(MONEY_DP);
  lines.push(total);
  return { asOf: asOf ? isoDay(asOf) : null, contracts: contracts.length, totalNotionalUsd: sumDecimals(notionals).toFixed(2), totalMarkValueUsd: totalMark.toFixed(MONEY_DP), lines };
}

/** The register as CSV (REGISTER_COLUMNS). */
export function registerCsv(lines: readonly (string | null)[][]): string {
  return [REGISTER_COLUMNS.join(","), ...lines.map((l) => csvLine(l))].join("\n") + "\n";
}
