/**
 * Daily marks: every contract live on an as-of day is valued with the hedging core's pricer
 * (lib/domain/valuation.ts, the code behind `npm run value`) against that day's market, and stored as one row per
 * contract × day. The market, as `npm run value` takes it:
 * - forwards: the curve in force on the day (curvesAsOf: per class the latest curve built on or before it), its
 *   own month priced at the curve's spot and later months at its points;
 * - spot: per class and UTC day the median mid of the non-FORWARD quotes (settlement.dailyMedianSpots), carried
 *   forward over days without one — the same series settlements use, so a realised month's mark equals its
 *   financial settlement;
 * - discount rate: the org setting discountRatePct (default 4%), continuously compounded, act/365.
 * Live on day D: booked before the end of D (approved before it, when it waited for approval), status BOOKED,
 * DELIVERING or SETTLED, and its window not over before D. So a backfill of past days marks what was held then
 * (a contract cancelled since is not re-marked on past days).
 * Service credits are marked as if financially settled: the value of the fixed price against the spot index on the
 * contracted quantity. That is the price protection they carry; it ignores that unused credits lapse, and their
 * settlements are the credits' use at strike, not a spot difference — pages say so.
 * A run replaces the day's rows as a whole (delete + insert in one transaction under a per-org lock), so re-running
 * a day, or two runs at once, leave exactly one mark per contract for it. Contracts that cannot be valued (no
 * forward for a month, no spot yet) are left unmarked and listed in the run's details.
 */
import Decimal from "decimal.js";
import { Prisma } from "@/lib/generated/prisma/client";
import { prisma } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { requireOwned } from "@/lib/db/scope";
import { MONEY_DP, moneyString, sumDecimals } from "@/lib/domain/money";
import { addDays, utcDay } from "@/lib/domain/time";
import { MARK_COLUMNS, ValuationError, forwardOf, markRowValues, markRows, marketSnapshot, spotSeries, valueForward, type AveragePriceForward, type ForwardPoint, type MarketSnapshot, type MarkRow, type SpotLookup } from "@/lib/domain/valuation";
import { csvLine } from "@/lib/domain/csv";
import { dailyMedianSpots, type SpotQuote } from "@/lib/domain/settlement";
import { readSettings } from "@/lib/validation/settings";
import { curvesAsOf, type ClassCurve } from "@/lib/services/market-snapshot";
import { cachedRead } from "@/lib/services/read-cache";

const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const LIVE_STATUSES = ["BOOKED", "DELIVERING", "SETTLED"] as const;

export type MarksRunDetails = {
  asOf: string;
  ratePct: string;
  marked: number;
  valueUsd: string;
  skipped: { contractId: string; reference: string; reason: string }[];
};

/** A stored period row: the valuation's mark row (as `npm run value` prints it) plus what it was built from. */
export type StoredPeriod = MarkRow & { days?: number; observedDays?: number; forwardPrice?: string | null };

const CONTRACT_SELECT = {
  id: true,
  reference: true,
  bookedAt: true,
  approvedAt: true,
  product: { select: { modelClassId: true, quantityTokens: true, windowStart: true, windowEnd: true, strikeUsdPerMTokens: true } },
} as const;
type Candidate = Prisma.ContractGetPayload<{ select: typeof CONTRACT_SELECT }>;

/** Contracts live on some day of [from, to] (see header). */
function candidates(orgId: string, from: Date, to: Date): Promise<Candidate[]> {
  const endOfLast = addDays(to, 1);
  return prisma.contract.findMany({
    where: {
      organizationId: orgId,
      status: { in: [...LIVE_STATUSES] },
      product: { windowEnd: { gte: from } },
      OR: [{ approvedAt: { lt: endOfLast } }, { approvedAt: null, bookedAt: { lt: endOfLast } }],
    },
    select: CONTRACT_SELECT,
    orderBy: { id: "asc" },
  });
}

/** Live on `asOf`: booked (approved, when it waited) before the end of the day, window not over before it. */
const liveOn = (c: Candidate, asOf: Date) => c.product.windowEnd.getTime() >= asOf.getTime() && (c.approvedAt ?? c.bookedAt).getTime() < addDays(asOf, 1).getTime();

/**
 * Daily spot of the classes (median mid of the day's non-FORWARD quotes) from each class's last observation on or
 * before `from` (spot carries forward from it) up to the day before `until`. Two queries for all classes.
 * Observations after an as-of day never change its marks — the pricer reads spot only for days before it, and a
 * day's carried-forward spot depends only on earlier observations — so one series serves a whole backfill.
 */
async function spotLookup(orgId: string, classIds: string[], from: Date, until: Date): Promise<SpotLookup> {
  if (!classIds.length) return spotSeries([]);
  const base = { organizationId: orgId, modelClassId: { in: classIds }, kind: { not: "FORWARD" as const } };
  const before = await prisma.priceQuote.groupBy({ by: ["modelClassId"], where: { ...base, asOf: { lt: addDays(from, 1) } }, _max: { asOf: true } });
  const start = new Date(Math.min(from.getTime(), ...before.map((b) => utcDay(b._max.asOf!).getTime())));
  const rows = await prisma.priceQuote.findMany({ where: { ...base, asOf: { gte: start, lt: until } }, select: { modelClassId: true, asOf: true, midUsdPerMTokens: true } });
  const quotes: SpotQuote[] = rows.map((r) => ({ modelClass: r.modelClassId, at: r.asOf, mid: r.midUsdPerMTokens.toString() }));
  return spotSeries(dailyMedianSpots(quotes));
}

export const toForward = (c: { id: string; product: { modelClassId: string; quantityTokens: bigint; windowStart: Date; windowEnd: Date; strikeUsdPerMTokens: Prisma.Decimal } }): AveragePriceForward =>
  forwardOf(c.id, c.product);

/** The org's discount rate as a fraction (settings.discountRatePct / 100). */
export async function discountRate(orgId: string): Promise<Decimal> {
  const org = await prisma.organization.findUniqueOrThrow({ where: { id: orgId }, select: { settings: true } });
  return new Decimal(readSettings(org.settings).discountRatePct).div(100);
}

type DayMarks = { rows: Prisma.ContractMarkCreateManyInput[]; skipped: MarksRunDetails["skipped"]; total: Decimal };

/** One day's marks of the contracts live on it, against the curves in force and the spot series (no I/O). */
function markDay(orgId: string, asOf: Date, contracts: Candidate[], curves: Map<string, ClassCurve>, spotOn: SpotLookup, rate: Decimal): DayMarks {
  const forwards: ForwardPoint[] = [];
  for (const [classId, curve] of curves) for (const [month, price] of curve.prices) forwards.push({ modelClass: classId, month, price });
  const market: MarketSnapshot = { ...marketSnapshot({ asOf, rate, forwards, spots: [] }), spotOn };
  const out: DayMarks = { rows: [], skipped: [], total: new Decimal(0) };
  for (const c of contracts) {
    if (!liveOn(c, asOf)) continue;
    try {
      const mark = valueForward(toForward(c), market);
      const realised = sumDecimals(mark.periods.filter((p) => p.state === "realised").map((p) => p.valueUsd));
      const unrealised = sumDecimals(mark.periods.filter((p) => p.state !== "realised").map((p) => p.valueUsd));
      const periods: StoredPeriod[] = markRows(mark).map((r, i) => {
        const p = mark.periods[i];
        return p ? { ...r, days: p.days, observedDays: p.observedDays, forwardPrice: p.forwardPrice ? moneyString(p.forwardPrice) : null } : r;
      });
      out.total = out.total.add(mark.total.valueUsd);
      out.rows.push({
        organizationId: orgId,
        contractId: c.id,
        asOf,
        curveId: curves.get(c.product.modelClassId)?.curveId ?? null,
        valueUsd: moneyString(mark.total.valueUsd),
        realisedUsd: moneyString(realised),
        unrealisedUsd: moneyString(unrealised),
        periods: periods as unknown as Prisma.InputJsonValue,
      });
    } catch (e) {
      if (!(e instanceof ValuationError)) throw e;
      out.skipped.push({ contractId: c.id, reference: c.reference, reason: e.message });
    }
  }
  return out;
}

/** Replaces the org's marks of the days from..to (inclusive) with `rows`, atomically, under the per-org lock. */
async function replaceDays(orgId: string, from: Date, to: Date, rows: Prisma.ContractMarkCreateManyInput[]) {
  await prisma.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`marks:${orgId}`}))`;
      await tx.contractMark.deleteMany({ where: { organizationId: orgId, asOf: { gte: from, lte: to } } });
      for (let i = 0; i < rows.length; i += 1000) await tx.contractMark.createMany({ data: rows.slice(i, i + 1000) });
    },
    { timeout: 120_000, maxWait: 60_000 },
  );
}

/** The marks job for one org and the UTC day of `now` (see header). */
export async function runMarks(orgId: string, now = new Date()): Promise<MarksRunDetails> {
  const asOf = utcDay(now);
  const [rate, all] = await Promise.all([discountRate(orgId), candidates(orgId, asOf, asOf)]);
  const contracts = all.filter((c) => liveOn(c, asOf));
  const classIds = [...new Set(contracts.map((c) => c.product.modelClassId))];
  const earliest = new Date(Math.min(asOf.getTime(), ...contracts.map((c) => c.product.windowStart.getTime())));
  const [curves, spotOn] = await Promise.all([classIds.length ? curvesAsOf(orgId, asOf, classIds) : new Map<string, ClassCurve>(), spotLookup(orgId, classIds, earliest, asOf)]);
  const day = markDay(orgId, asOf, contracts, curves, spotOn, rate);
  await replaceDays(orgId, asOf, asOf, day.rows);
  return { asOf: isoDay(asOf), ratePct: rate.mul(100).toString(), marked: day.rows.length, valueUsd: moneyString(day.total, 2), skipped: day.skipped };
}

/**
 * Marks every day from `from` to `to` (inclusive): the history the daily job would have written, with the same
 * per-day valuation (markDay) and the same curve choice (curvesAsOf, called once per day a curve was built), the
 * market loaded once for the range, and the days replaced in one transaction.
 */
export async function backfillMarks(orgId: string, from: Date, to: Date) {
  const first = utcDay(from);
  const last = utcDay(to);
  const [rate, contracts] = await Promise.all([discountRate(orgId), candidates(orgId, first, last)]);
  const classIds = [...new Set(contracts.map((c) => c.product.modelClassId))];
  const earliest = new Date(Math.min(first.getTime(), ...contracts.map((c) => c.product.windowStart.getTime())));
  // curvesAsOf changes only on days a curve was built: take it on each such day (and on the first day)
  const builtOn = classIds.length
    ? await prisma.forwardCurve.findMany({ where: { organizationId: orgId, modelClassId: { in: classIds }, asOf: { gt: first, lte: last } }, distinct: ["asOf"], select: { asOf: true }, orderBy: { asOf: "asc" } })
    : [];
  const changes = [first, ...builtOn.map((b) => b.asOf)];
  const [snapshots, spotOn] = await Promise.all([
    Promise.all(changes.map((d) => (classIds.length ? curvesAsOf(orgId, d, classIds) : Promise.resolve(new Map<string, ClassCurve>())))),
    spotLookup(orgId, classIds, earliest, last),
  ]);
  const rows: Prisma.ContractMarkCreateManyInput[] = [];
  const skipped = new Set<string>();
  let k = 0;
  for (let d = first; d.getTime() <= last.getTime(); d = addDays(d, 1)) {
    while (k + 1 < changes.length && changes[k + 1].getTime() <= d.getTime()) k++;
    const day = markDay(orgId, d, contracts, snapshots[k], spotOn, rate);
    rows.push(...day.rows);
    for (const s of day.skipped) skipped.add(`${s.reference}: ${s.reason}`);
  }
  await replaceDays(orgId, first, last, rows);
  return { from: isoDay(first), to: isoDay(last), marked: rows.length, skipped: [...skipped] };
}

// ---------------------------------------------------------------------------------------------------------------
// Reads (org-scoped through ctx.orgId)

/** The latest day with marks, on or before `onOrBefore` when given. */
export async function latestMarkDay(orgId: string, onOrBefore?: Date): Promise<Date | null> {
  const r = await prisma.contractMark.findFirst({ where: { organizationId: orgId, ...(onOrBefore ? { asOf: { lte: onOrBefore } } : {}) }, orderBy: { asOf: "desc" }, select: { asOf: true } });
  return r?.asOf ?? null;
}

/** Each contract's latest mark (for the blotter's MTM column), keyed by contract id. */
export async function latestMarksFor(ctx: Pick<Ctx, "orgId">, contractIds: string[]) {
  if (!contractIds.length) return new Map<string, { asOf: string; valueUsd: string; realisedUsd: string; unrealisedUsd: string }>();
  const rows = await prisma.$queryRaw<{ contractId: string; asOf: Date; valueUsd: Prisma.Decimal; realisedUsd: Prisma.Decimal; unrealisedUsd: Prisma.Decimal }[]>`
    SELECT DISTINCT ON ("contractId") "contractId", "asOf", "valueUsd", "realisedUsd", "unrealisedUsd" FROM "ContractMark"
     WHERE "organizationId" = ${ctx.orgId} AND "contractId" IN (${Prisma.join(contractIds)})
     ORDER BY "contractId", "asOf" DESC`;
  return new Map(rows.map((r) => [r.contractId, { asOf: isoDay(r.asOf), valueUsd: r.valueUsd.toString(), realisedUsd: r.realisedUsd.toString(), unrealisedUsd: r.unrealisedUsd.toString() }]));
}

const MARK_INCLUDE = {
  contract: { select: { id: true, reference: true, status: true, counterparty: { select: { id: true, name: true } }, product: { select: { quantityTokens: true, windowStart: true, windowEnd: true, strikeUsdPerMTokens: true, settlement: true, modelClass: { select: { id: true, name: true } } } } } },
} as const;

export type MarkLine = {
  contractId: string;
  reference: string;
  status: string;
  modelClass: { id: string; name: string };
  counterparty: { id: string; name: string };
  settlement: "FINANCIAL" | "SERVICE_CREDITS";
  quantityTokens: string;
  strikeUsdPerMTokens: string;
  windowStart: string;
  windowEnd: string;
  valueUsd: string;
  realisedUsd: string;
  unrealisedUsd: string;
  /** value − the contract's mark on the previous mark day; null when it had none */
  changeUsd: string | null;
  curveAsOf: string | null;
  periods: StoredPeriod[];
};

export type Group = { key: string; label: string; count: number; valueUsd: string; realisedUsd: string; unrealisedUsd: string };

function groupBy(lines: MarkLine[], key: (l: MarkLine) => [string, string]): Group[] {
  const m = new Map<string, { label: string; count: number; v: Decimal; r: Decimal; u: Decimal }>();
  for (const l of lines) {
    const [k, label] = key(l);
    const g = m.get(k) ?? { label, count: 0, v: new Decimal(0), r: new Decimal(0), u: new Decimal(0) };
    g.count++;
    g.v = g.v.add(l.valueUsd);
    g.r = g.r.add(l.realisedUsd);
    g.u = g.u.add(l.unrealisedUsd);
    m.set(k, g);
  }
  return [...m.entries()].map(([k, g]) => ({ key: k, label: g.label, count: g.count, valueUsd: g.v.toFixed(MONEY_DP), realisedUsd: g.r.toFixed(MONEY_DP), unrealisedUsd: g.u.toFixed(MONEY_DP) })).sort((a, b) => a.label.localeCompare(b.label));
}

/** Σ (value on `to` − value on `from`) over the contracts marked on both days: the change of what was held throughout. */
async function likeForLikeChange(orgId: string, from: Date, to: Date): Promise<{ changeUsd: string; contracts: number } | null> {
  const [r] = await prisma.$queryRaw<{ change: Prisma.Decimal | null; n: bigint }[]>`
    SELECT sum(b."valueUsd" - a."valueUsd") AS change, count(*)::bigint AS n FROM "ContractMark" a JOIN "ContractMark" b ON b."contractId" = a."contractId" AND b."asOf" = ${to}
     WHERE a."organizationId" = ${orgId} AND a."asOf" = ${from}`;
  return r && Number(r.n) > 0 ? { changeUsd: new Decimal(r.change?.toString() ?? 0).toFixed(MONEY_DP), contracts: Number(r.n) } : null;
}

/**
 * The portfolio's marks on a day (the latest by default): one line per contract, totals by class, counterparty and
 * settlement type, and the change since the previous mark day and since a month before (on contracts held on both).
 */
export async function portfolioMarks(ctx: Pick<Ctx, "orgId">, q: { asOf?: string } = {}) {
  return cachedRead(ctx, "portfolioMarks", q, () => portfolioMarksUncached(ctx, q));
}
async function portfolioMarksUncached(ctx: Pick<Ctx, "orgId">, q: { asOf?: string } = {}) {
  const asOf = await latestMarkDay(ctx.orgId, q.asOf ? new Date(`${q.asOf}T00:00:00Z`) : undefined);
  if (!asOf) return null;
  const [prevDay, monthAgoDay] = await Promise.all([latestMarkDay(ctx.orgId, addDays(asOf, -1)), latestMarkDay(ctx.orgId, addDays(asOf, -30))]);
  const [marks, prev] = await Promise.all([
    prisma.contractMark.findMany({ where: { organizationId: ctx.orgId, asOf }, include: MARK_INCLUDE, orderBy: { contract: { reference: "asc" } } }),
    prevDay ? prisma.contractMark.findMany({ where: { organizationId: ctx.orgId, asOf: prevDay }, select: { contractId: true, valueUsd: true } }) : Promise.resolve([]),
  ]);
  const curveIds = [...new Set(marks.map((m) => m.curveId).filter((x): x is string => !!x))];
  const curveDays = new Map((await prisma.forwardCurve.findMany({ where: { id: { in: curveIds }, organizationId: ctx.orgId }, select: { id: true, asOf: true } })).map((c) => [c.id, isoDay(c.asOf)]));
  const prevValue = new Map(prev.map((p) => [p.contractId, new Decimal(p.valueUsd.toString())]));
  const lines: MarkLine[] = marks.map((m) => {
    const p = m.contract.product;
    const before = prevValue.get(m.contractId);
    return {
      contractId: m.contractId,
      reference: m.contract.reference,
      status: m.contract.status,
      modelClass: p.modelClass,
      counterparty: m.contract.counterparty,
      settlement: p.settlement,
      quantityTokens: p.quantityTokens.toString(),
      strikeUsdPerMTokens: p.strikeUsdPerMTokens.toString(),
      windowStart: isoDay(p.windowStart),
      windowEnd: isoDay(p.windowEnd),
      valueUsd: m.valueUsd.toString(),
      realisedUsd: m.realisedUsd.toString(),
      unrealisedUsd: m.unrealisedUsd.toString(),
      changeUsd: before ? new Decimal(m.valueUsd.toString()).sub(before).toFixed(MONEY_DP) : null,
      curveAsOf: m.curveId ? curveDays.get(m.curveId) ?? null : null,
      periods: m.periods as unknown as StoredPeriod[],
    };
  });
  const sum = (f: (l: MarkLine) => string) => sumDecimals(lines.map(f)).toFixed(MONEY_DP);
  const [change1d, change1m] = await Promise.all([
    prevDay ? likeForLikeChange(ctx.orgId, prevDay, asOf) : null,
    monthAgoDay && monthAgoDay.getTime() < asOf.getTime() ? likeForLikeChange(ctx.orgId, monthAgoDay, asOf) : null,
  ]);
  return {
    asOf: isoDay(asOf),
    previousAsOf: prevDay ? isoDay(prevDay) : null,
    monthAgoAsOf: monthAgoDay && monthAgoDay.getTime() < asOf.getTime() ? isoDay(monthAgoDay) : null,
    total: { valueUsd: sum((l) => l.valueUsd), realisedUsd: sum((l) => l.realisedUsd), unrealisedUsd: sum((l) => l.unrealisedUsd), count: lines.length },
    change1d,
    change1m,
    byClass: groupBy(lines, (l) => [l.modelClass.id, l.modelClass.name]),
    byCounterparty: groupBy(lines, (l) => [l.counterparty.id, l.counterparty.name]),
    bySettlement: groupBy(lines, (l) => [l.settlement, l.settlement === "FINANCIAL" ? "Financial" : "Service credits (marked as financial)"]),
    lines,
  };
}

/** Portfolio value per mark day and each contract's values, for the MTM history chart (last `days` days). */
export async function marksHistory(ctx: Pick<Ctx, "orgId">, q: { contractId?: string; days?: number } = {}) {
  return cachedRead(ctx, "marksHistory", q, () => marksHistoryUncached(ctx, q));
}
async function marksHistoryUncached(ctx: Pick<Ctx, "orgId">, q: { contractId?: string; days?: number } = {}) {
  if (q.contractId) await requireOwned(ctx, "contract", q.contractId);
  const since = addDays(utcDay(new Date()), -(q.days ?? 400));
  const rows = await prisma.contractMark.findMany({
    where: { organizationId: ctx.orgId, asOf: { gte: since }, ...(q.contractId ? { contractId: q.contractId } : {}) },
    select: { asOf: true, contractId: true, valueUsd: true, contract: { select: { reference: true } } },
    orderBy: [{ asOf: "asc" }, { contractId: "asc" }],
  });
  const days = new Map<string, Decimal>();
  const contracts = new Map<string, { contractId: string; reference: string; points: { asOf: string; valueUsd: string }[] }>();
  for (const r of rows) {
    const d = isoDay(r.asOf);
    days.set(d, (days.get(d) ?? new Decimal(0)).add(r.valueUsd.toString()));
    const c = contracts.get(r.contractId) ?? { contractId: r.contractId, reference: r.contract.reference, points: [] };
    c.points.push({ asOf: d, valueUsd: r.valueUsd.toString() });
    contracts.set(r.contractId, c);
  }
  return {
    portfolio: [...days.entries()].map(([asOf, v]) => ({ asOf, valueUsd: v.toFixed(MONEY_DP) })),
    contracts: [...contracts.values()].sort((a, b) => a.reference.localeCompare(b.reference)),
  };
}

/** Realised P&L from settlements: financial amounts (spot average − strike) by class and counterparty; credits used and forfeited. */
export async function realisedPnl(ctx: Pick<Ctx, "orgId">) {
  return cachedRead(ctx, "realisedPnl", null, () => realisedPnlUncached(ctx));
}
async function realisedPnlUncached(ctx: Pick<Ctx, "orgId">) {
  const rows = await prisma.settlement.findMany({
    where: { organizationId: ctx.orgId },
    select: { amountUsd: true, quantityTokens: true, creditsUsedTokens: true, creditsForfeitedTokens: true, periodMonth: true, contract: { select: { id: true, reference: true, counterparty: { select: { id: true, name: true } }, product: { select: { settlement: true, modelClass: { select: { id: true, name: true } } } } } } },
  });
  const fin = rows.filter((r) => r.contract.product.settlement === "FINANCIAL");
  const credits = rows.filter((r) => r.contract.product.settlement === "SERVICE_CREDITS");
  const by = (key: (r: (typeof rows)[number]) => [string, string]) => {
    const m = new Map<string, { label: string; amount: Decimal; months: number }>();
    for (const r of fin) {
      const [k, label] = key(r);
      const g = m.get(k) ?? { label, amount: new Decimal(0), months: 0 };
      g.amount = g.amount.add(r.amountUsd.toString());
      g.months++;
      m.set(k, g);
    }
    return [...m.entries()].map(([k, g]) => ({ key: k, label: g.label, amountUsd: g.amount.toFixed(MONEY_DP), months: g.months }));
  };
  return {
    financialUsd: sumDecimals(fin.map((r) => r.amountUsd.toString())).toFixed(MONEY_DP),
    financialMonths: fin.length,
    byClass: by((r) => [r.contract.product.modelClass.id, r.contract.product.modelClass.name]),
    byCounterparty: by((r) => [r.contract.counterparty.id, r.contract.counterparty.name]),
    credits: {
      months: credits.length,
      usedTokens: credits.reduce((s, r) => s + (r.creditsUsedTokens ?? 0n), 0n).toString(),
      forfeitedTokens: credits.reduce((s, r) => s + (r.creditsForfeitedTokens ?? 0n), 0n).toString(),
      usedValueUsd: sumDecimals(credits.map((r) => r.amountUsd.toString())).toFixed(MONEY_DP),
    },
  };
}

export const MARKS_CSV_COLUMNS = [
  "as_of", "contract_reference", "status", "model_class", "counterparty", "settlement", "quantity_tokens", "strike_usd_per_mtok",
  "window_start", "window_end", "value_usd", "realised_usd", "unrealised_usd", "change_since_previous_mark_usd", "curve_as_of",
] as const;

/** One line per contract (MARKS_CSV_COLUMNS), text cells neutralised against formula injection. */
export function marksCsv(asOf: string, lines: readonly MarkLine[]): string {
  const out = [MARKS_CSV_COLUMNS.join(",")];
  for (const l of lines)
    out.push(csvLine([asOf, l.reference, l.status, l.modelClass.name, l.counterparty.name, l.settlement, l.quantityTokens, moneyString(l.strikeUsdPerMTokens), l.windowStart, l.windowEnd, moneyString(l.valueUsd), moneyString(l.realisedUsd), moneyString(l.unrealisedUsd), l.changeUsd === null ? null : moneyString(l.changeUsd), l.curveAsOf]));
  return out.join("\n") + "\n";
}

/** Period detail in `npm run value`'s layout (MARK_COLUMNS; id = contract reference), one block per contract ending in TOTAL. */
export function markPeriodsCsv(lines: readonly MarkLine[]): string {
  const out = [MARK_COLUMNS.join(",")];
  for (const l of lines) for (const p of l.periods) out.push(csvLine(markRowValues({ ...p, id: l.reference })));
  return out.join("\n") + "\n";
}
