/**
 * Forward contracts: booking (idempotent, validated against policy, curve and counterparty limits), four-eyes
 * approval, lifecycle, drift flags and reads. Every change writes a ContractEvent in the same transaction.
 * The product (ContractProduct: what was agreed, capacity and service terms included) is written once — only its
 * service terms can be amended, each time with a SERVICE_TERMS_AMENDED event; the trade (Contract) carries status and who.
 */
import { createHash } from "node:crypto";
import Decimal from "decimal.js";
import type { z } from "zod";
import { prisma, type Tx } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { requireOwned } from "@/lib/db/scope";
import { AppError, badRequest, conflict, forbidden } from "@/lib/errors";
import { costUsd } from "@/lib/domain/money";
import { IllegalTransition, OPEN_STATUSES, transition, type ContractAction, type ContractStatus } from "@/lib/domain/contract-lifecycle";
import { addMonths } from "@/lib/domain/curve";
import { monthKey, utcDay } from "@/lib/domain/time";
import { curvesAsOf } from "@/lib/services/market-snapshot";
import { listPolicies, policyFor } from "./policy";
import { enqueueFollowUp, JOBS } from "@/lib/jobs/queue";
import type { amendServiceTermsSchema, bookContractSchema, contractsQuery, ServiceTermsInput, SUPPORT_TIERS } from "@/lib/validation/contracts";
import { creditRuleText, type CreditRule } from "@/lib/domain/capacity";
import { audit } from "@/lib/services/audit";
import { Prisma } from "@/lib/generated/prisma/client";
import { cachedRead } from "@/lib/services/read-cache";

type BookInput = z.output<typeof bookContractSchema>;
type EventType = Prisma.ContractEventCreateManyInput["type"];

const field = (name: string, message: string) => badRequest(`${name}: ${message}`, [{ path: `body.${name}`, message }]);
const dayOf = (iso: string) => new Date(`${iso}T00:00:00Z`);
export const FAR_FROM_CURVE_PCT = 50;

async function event(tx: Tx, ctx: Ctx, contractId: string, type: EventType, before: object | null, after: object | null, comment?: string | null) {
  await tx.contractEvent.create({
    data: { organizationId: ctx.orgId, contractId, actorId: ctx.actorId, actorName: ctx.actorName, type, before: before ?? undefined, after: after ?? undefined, comment: comment ?? null },
  });
}

/** JSON with object keys sorted at every depth. */
const stableJson = (v: unknown): string =>
  Array.isArray(v) ? `[${v.map(stableJson).join(",")}]` : v && typeof v === "object" ? `{${Object.keys(v).sort().filter((k) => (v as Record<string, unknown>)[k] !== undefined).map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`).join(",")}}` : JSON.stringify(v ?? null);

/** The request as booked, canonical (key order fixed) so a retried body hashes the same. */
function requestHash(b: BookInput) {
  // service terms enter as one canonical string (the key list below filters nested keys too); absent terms leave
  // the hash of a booking without them unchanged
  const terms = normalTerms(b.serviceTerms);
  const canonical = { ...b, idempotencyKey: undefined, notes: b.notes ?? null, recommendationId: b.recommendationId ?? null, confirmFarFromCurve: undefined, serviceTerms: terms ? stableJson(terms) : undefined };
  return createHash("sha256").update(JSON.stringify(canonical, Object.keys(canonical).sort())).digest("hex");
}

/** Service terms as stored: null when none is set (an empty object is no terms). */
export function normalTerms(t: ServiceTermsInput | null | undefined) {
  if (!t) return null;
  const n = {
    reservedTokensPerMinute: t.reservedTokensPerMinute ?? null,
    uptimeCommitmentPct: t.uptimeCommitmentPct ? new Decimal(t.uptimeCommitmentPct).toFixed(3) : null,
    latencyP95Ms: t.latencyP95Ms ?? null,
    supportTier: t.supportTier ?? null,
    serviceCreditRule: t.serviceCreditRule ?? null,
  };
  return Object.values(n).every((v) => v === null) ? null : n;
}
type StoredTerms = NonNullable<ReturnType<typeof normalTerms>>;
const termsData = (t: StoredTerms | null) => ({
  reservedTokensPerMinute: t?.reservedTokensPerMinute ? BigInt(t.reservedTokensPerMinute) : null,
  uptimeCommitmentPct: t?.uptimeCommitmentPct ?? null,
  latencyP95Ms: t?.latencyP95Ms ?? null,
  supportTier: t?.supportTier ?? null,
  serviceCreditRule: (t?.serviceCreditRule ?? undefined) as Prisma.InputJsonValue | undefined,
});

type ProductTerms = { reservedTokensPerMinute: bigint | null; uptimeCommitmentPct: { toString(): string } | null; latencyP95Ms: number | null; supportTier: string | null; serviceCreditRule: unknown };
/** A product's service terms as shown (JSON, pages, register); null when it has none. */
export function serviceTermsOf(p: ProductTerms) {
  if (p.reservedTokensPerMinute === null && p.uptimeCommitmentPct === null && p.latencyP95Ms === null && p.supportTier === null && p.serviceCreditRule === null) return null;
  const rule = (p.serviceCreditRule ?? null) as CreditRule | null;
  return {
    reservedTokensPerMinute: p.reservedTokensPerMinute?.toString() ?? null,
    uptimeCommitmentPct: p.uptimeCommitmentPct ? new Decimal(p.uptimeCommitmentPct.toString()).toFixed(3) : null,
    latencyP95Ms: p.latencyP95Ms,
    supportTier: p.supportTier as (typeof SUPPORT_TIERS)[number] | null,
    serviceCreditRule: rule,
    serviceCreditText: rule ? creditRuleText(rule) : null,
  };
}
export type ServiceTerms = NonNullable<ReturnType<typeof serviceTermsOf>>;

/** Notional of a product: quantity × strike / 1e6 (USD). */
export const notionalUsd = (quantityTokens: bigint, strike: Decimal.Value) => costUsd(quantityTokens, new Decimal(strike));

/**
 * Exposure per counterparty: notional of open contracts (pending, booked, delivering) plus what they owe us —
 * each open contract's latest mark when it is positive. Concentration is measured on notional alone.
 */
export async function counterpartyExposures(db: Tx | typeof prisma, orgId: string) {
  const rows = await db.contract.findMany({
    where: { organizationId: orgId, status: { in: [...OPEN_STATUSES] } },
    select: { id: true, counterpartyId: true, product: { select: { quantityTokens: true, strikeUsdPerMTokens: true } } },
  });
  const marks = rows.length
    ? await db.$queryRaw<{ contractId: string; value: Decimal.Value }[]>`
        SELECT DISTINCT ON ("contractId") "contractId", "valueUsd"::text AS value FROM "ContractMark"
         WHERE "organizationId" = ${orgId} AND "contractId" = ANY(${rows.map((r) => r.id)}) ORDER BY "contractId", "asOf" DESC`
    : [];
  const mtm = new Map(marks.map((m) => [m.contractId, new Decimal(m.value)]));
  const out = new Map<string, { notional: Decimal; owedToUs: Decimal; exposure: Decimal }>();
  for (const r of rows) {
    const e = out.get(r.counterpartyId) ?? { notional: new Decimal(0), owedToUs: new Decimal(0), exposure: new Decimal(0) };
    e.notional = e.notional.add(notionalUsd(r.product.quantityTokens, r.product.strikeUsdPerMTokens.toString()));
    const v = mtm.get(r.id);
    if (v && v.gt(0)) e.owedToUs = e.owedToUs.add(v);
    e.exposure = e.notional.add(e.owedToUs);
    out.set(r.counterpartyId, e);
  }
  return out;
}

/** Exposure (notional + positive MTM) per counterparty. */
export async function counterpartyExposure(db: Tx | typeof prisma, orgId: string) {
  return new Map([...(await counterpartyExposures(db, orgId)).entries()].map(([k, v]) => [k, v.exposure]));
}

/** Business checks beyond the schema: dates against today and the policy's tenor, lots, curve distance, ids. */
async function validateBooking(ctx: Ctx, b: BookInput, today: Date) {
  await Promise.all([
    requireOwned(ctx, "provider", b.providerId, { field: "providerId" }),
    requireOwned(ctx, "modelClass", b.modelClassId, { field: "modelClassId" }),
    requireOwned(ctx, "counterparty", b.counterpartyId, { field: "counterpartyId" }),
    b.recommendationId ? requireOwned(ctx, "recommendation", b.recommendationId, { field: "recommendationId" }) : null,
  ]);
  const policy = policyFor(await listPolicies(ctx.orgId), b.modelClassId);
  const start = dayOf(b.windowStart);
  const end = dayOf(b.windowEnd);
  if (start.getTime() < today.getTime()) throw field("windowStart", `must not be in the past (today is ${today.toISOString().slice(0, 10)})`);
  const lastMonth = addMonths(monthKey(today), policy.maxTenorMonths);
  if (monthKey(end) > lastMonth) throw field("windowEnd", `is beyond the policy's maximum tenor of ${policy.maxTenorMonths} months (last month ${lastMonth})`);
  const q = BigInt(b.quantityTokens);
  const lot = BigInt(policy.lotTokens);
  if (q % lot !== 0n) throw field("quantityTokens", `must be a multiple of the policy's lot of ${lot.toString()} tokens`);
  // strike against the curve in force: the average forward over the window's months
  const curve = (await curvesAsOf(ctx.orgId, today, [b.modelClassId])).get(b.modelClassId);
  if (curve) {
    const months: string[] = [];
    for (let m = monthKey(start); m <= monthKey(end); m = addMonths(m, 1)) months.push(m);
    const prices = months.map((m) => curve.prices.get(m)).filter((p): p is Decimal => !!p);
    if (prices.length) {
      const avg = prices.reduce((s, p) => s.add(p), new Decimal(0)).div(prices.length);
      const dist = new Decimal(b.strikeUsdPerMTokens).sub(avg).abs().div(avg).mul(100);
      if (dist.gt(FAR_FROM_CURVE_PCT) && !b.confirmFarFromCurve) {
        throw field("strikeUsdPerMTokens", `is ${dist.toFixed(0)}% away from the curve's ${avg.toFixed(4)} USD per 1M tokens over the window; confirm to book it anyway`);
      }
    }
  }
  return policy;
}

export type BookResult = { contract: Awaited<ReturnType<typeof contractDetail>>; replayed: boolean };

/**
 * Books a contract. Idempotent on (org, key): the same key with the same request returns the first result,
 * with a different request it is a 422. Concurrent identical requests serialize on an advisory lock of the
 * key, so exactly one contract is created. Above the policy's approval threshold the contract waits for a
 * CFO (PENDING_APPROVAL); otherwise it is BOOKED at once.
 */
export async function bookContract(ctx: Ctx, b: BookInput, headerKey: string | null, now = new Date()): Promise<BookResult> {
  const key = (headerKey ?? b.idempotencyKey ?? "").trim();
  if (key.length < 8 || key.length > 100) throw field("idempotencyKey", "send an Idempotency-Key header (or idempotencyKey field) of 8–100 characters, one per booking");
  const hash = requestHash(b);
  const replay = async () => {
    const prior = await prisma.contract.findUnique({ where: { organizationId_idempotencyKey: { organizationId: ctx.orgId, idempotencyKey: key } } });
    if (!prior) return null;
    if (prior.requestHash !== hash) throw new AppError(422, "idempotency_mismatch", "idempotencyKey: this key was already used for a different booking", [{ path: "body.idempotencyKey", message: "already used for a different booking" }]);
    return { contract: await contractDetail(ctx, prior.id), replayed: true };
  };
  const first = await replay();
  if (first) return first;
  const today = utcDay(now);
  const policy = await validateBooking(ctx, b, today);
  const q = BigInt(b.quantityTokens);
  const notional = notionalUsd(q, b.strikeUsdPerMTokens);
  const created = await prisma.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`contract-key:${ctx.orgId}:${key}`}))`;
      const again = await tx.contract.findUnique({ where: { organizationId_idempotencyKey: { organizationId: ctx.orgId, idempotencyKey: key } }, select: { id: true } });
      if (again) return null;
      // limits and references are per org: serialize bookings of one org for these checks
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`contracts:${ctx.orgId}`}))`;
      const cp = await tx.counterparty.findFirstOrThrow({ where: { id: b.counterpartyId, organizationId: ctx.orgId } });
      const exposure = (await counterpartyExposure(tx, ctx.orgId)).get(cp.id) ?? new Decimal(0);
      const limit = new Decimal(cp.limitUsd.toString());
      if (exposure.add(notional).gt(limit)) {
        throw field("counterpartyId", `${cp.name} would be over its limit: open notional ${exposure.toFixed(2)} + this ${notional.toFixed(2)} > limit ${limit.toFixed(2)} USD`);
      }
      const seq = (await tx.contract.count({ where: { organizationId: ctx.orgId } })) + 1;
      const reference = `TH-${today.getUTCFullYear()}-${String(seq).padStart(5, "0")}`;
      const product = await tx.contractProduct.create({
        data: {
          organizationId: ctx.orgId, providerId: b.providerId, modelClassId: b.modelClassId, quantityTokens: q, windowStart: dayOf(b.windowStart), windowEnd: dayOf(b.windowEnd),
          strikeUsdPerMTokens: b.strikeUsdPerMTokens, settlement: b.settlement, ...termsData(normalTerms(b.serviceTerms)),
        },
      });
      const needsApproval = notional.gt(new Decimal(policy.approvalThresholdUsd));
      const status: ContractStatus = transition("DRAFT", needsApproval ? "submit" : "book");
      const c = await tx.contract.create({
        data: {
          organizationId: ctx.orgId, reference, productId: product.id, counterpartyId: cp.id, status, substitutionRule: b.substitutionRule, notes: b.notes ?? null,
          recommendationId: b.recommendationId ?? null, bookedById: ctx.actorId, bookedByName: ctx.actorName, idempotencyKey: key, requestHash: hash,
        },
      });
      const terms = { reference, quantityTokens: q.toString(), windowStart: b.windowStart, windowEnd: b.windowEnd, strikeUsdPerMTokens: b.strikeUsdPerMTokens, settlement: b.settlement, counterparty: cp.name, substitutionRule: b.substitutionRule, notionalUsd: notional.toFixed(2), serviceTerms: normalTerms(b.serviceTerms) };
      await event(tx, ctx, c.id, "CREATED", null, { status: "DRAFT", ...terms }, b.notes);
      await event(tx, ctx, c.id, needsApproval ? "SUBMITTED_FOR_APPROVAL" : "BOOKED", { status: "DRAFT" }, { status }, needsApproval ? `Notional ${notional.toFixed(2)} USD is above the approval threshold of ${policy.approvalThresholdUsd} USD` : null);
      if (b.recommendationId) await tx.recommendation.updateMany({ where: { id: b.recommendationId, organizationId: ctx.orgId }, data: { status: "BOOKED" } });
      return c.id;
    },
    { timeout: 30_000, maxWait: 30_000 },
  );
  if (!created) return (await replay())!;
  // a new position changes today's marks and what is still to book
  await enqueueFollowUp(JOBS.computeMarks, ctx.orgId, "contract booked");
  await enqueueFollowUp(JOBS.runRecommendations, ctx.orgId, "contract booked");
  return { contract: await contractDetail(ctx, created), replayed: false };
}

/** Applies one lifecycle action by a person, with its event, in one transaction; illegal moves are 409. */
async function act(ctx: Ctx, id: string, action: ContractAction, type: EventType, comment: string | null, check?: (c: { bookedById: string | null }) => void) {
  await requireOwned(ctx, "contract", id);
  await prisma.$transaction(async (tx) => {
    // row lock: two approvers at once see each other's result
    await tx.$queryRaw`SELECT id FROM "Contract" WHERE id = ${id} FOR UPDATE`;
    const c = await tx.contract.findFirstOrThrow({ where: { id, organizationId: ctx.orgId } });
    check?.(c);
    let to: ContractStatus;
    try {
      to = transition(c.status, action);
    } catch (e) {
      if (e instanceof IllegalTransition) throw conflict(e.message);
      throw e;
    }
    await tx.contract.update({ where: { id }, data: { status: to, ...(action === "approve" ? { approvedById: ctx.actorId, approvedAt: new Date() } : {}) } });
    await event(tx, ctx, id, type, { status: c.status }, { status: to }, comment);
  });
  await enqueueFollowUp(JOBS.computeMarks, ctx.orgId, `contract ${action}`);
  return contractDetail(ctx, id);
}

/** Four eyes: only a CFO, never the person who booked it (even when that person is a CFO). */
export function approveContract(ctx: Ctx, id: string, comment: string | null) {
  if (ctx.role !== "CFO") throw forbidden("Only a CFO can approve contracts");
  return act(ctx, id, "approve", "APPROVED", comment, (c) => {
    if (c.bookedById && c.bookedById === ctx.actorId) throw forbidden("You booked this contract: someone else must approve it (four eyes)");
  });
}

export function rejectContract(ctx: Ctx, id: string, comment: string) {
  if (ctx.role !== "CFO") throw forbidden("Only a CFO can reject contracts");
  return act(ctx, id, "reject", "REJECTED", comment, (c) => {
    if (c.bookedById && c.bookedById === ctx.actorId) throw forbidden("You booked this contract: someone else must decide on it (four eyes)");
  });
}

export function cancelContract(ctx: Ctx, id: string, comment: string | null) {
  return act(ctx, id, "cancel", "CANCELLED", comment);
}

/** Drift: a model version of the contract's class recorded after it was booked. */
async function driftByClass(orgId: string, classIds: string[]) {
  const versions = await prisma.modelVersion.findMany({
    where: { organizationId: orgId, model: { modelClassId: { in: classIds } } },
    select: { effectiveFrom: true, version: true, createdAt: true, model: { select: { name: true, modelClassId: true } } },
    orderBy: { effectiveFrom: "desc" },
  });
  return (classId: string, since: Date) => versions.find((v) => v.model.modelClassId === classId && (v.effectiveFrom.getTime() > since.getTime() || v.createdAt.getTime() > since.getTime())) ?? null;
}

const SUBSTITUTION_TEXT = {
  SUCCESSOR_SAME_STRIKE: "Successor model in the same class at the same strike",
  CASH_SETTLE_LAST_PRICE: "Cash-settle at the last pre-drift price",
  MANUAL_REVIEW: "Manual review",
} as const;

function contractRow(c: Prisma.ContractGetPayload<{ include: { product: { include: { provider: true; modelClass: true } }; counterparty: true } }>, drift: { version: string; model: { name: string }; effectiveFrom: Date } | null) {
  const p = c.product;
  return {
    id: c.id,
    reference: c.reference,
    status: c.status,
    provider: { id: p.providerId, name: p.provider.name },
    modelClass: { id: p.modelClassId, name: p.modelClass.name },
    counterparty: { id: c.counterpartyId, name: c.counterparty.name, rating: c.counterparty.rating },
    quantityTokens: p.quantityTokens.toString(),
    windowStart: p.windowStart.toISOString().slice(0, 10),
    windowEnd: p.windowEnd.toISOString().slice(0, 10),
    strikeUsdPerMTokens: p.strikeUsdPerMTokens.toString(),
    notionalUsd: notionalUsd(p.quantityTokens, p.strikeUsdPerMTokens.toString()).toFixed(2),
    settlement: p.settlement,
    serviceTerms: serviceTermsOf(p),
    substitutionRule: c.substitutionRule,
    substitutionText: SUBSTITUTION_TEXT[c.substitutionRule],
    bookedByName: c.bookedByName,
    bookedById: c.bookedById,
    bookedAt: c.bookedAt.toISOString(),
    approvedAt: c.approvedAt?.toISOString() ?? null,
    recommendationId: c.recommendationId,
    notes: c.notes,
    drift: drift && OPEN_STATUSES.includes(c.status) ? { note: `${drift.model.name} ${drift.version} effective ${drift.effectiveFrom.toISOString().slice(0, 10)}`, rule: SUBSTITUTION_TEXT[c.substitutionRule] } : null,
  };
}

const INCLUDE = { product: { include: { provider: true, modelClass: true } }, counterparty: true } as const;

export async function contractDetail(ctx: Ctx, id: string) {
  await requireOwned(ctx, "contract", id);
  const c = await prisma.contract.findFirstOrThrow({ where: { id, organizationId: ctx.orgId }, include: { ...INCLUDE, events: { orderBy: { at: "asc" } }, settlements: { orderBy: { periodMonth: "asc" } } } });
  const drift = (await driftByClass(ctx.orgId, [c.product.modelClassId]))(c.product.modelClassId, c.bookedAt);
  return {
    ...contractRow(c, drift),
    events: c.events.map((e) => ({ id: e.id, type: e.type, actorName: e.actorName, at: e.at.toISOString(), before: e.before, after: e.after, comment: e.comment })),
    settlements: c.settlements.map((s) => ({ month: monthKey(s.periodMonth), quantityTokens: s.quantityTokens.toString(), avgSpotUsdPerMTokens: s.avgSpotUsdPerMTokens?.toString() ?? null, amountUsd: s.amountUsd.toString(), creditsUsedTokens: s.creditsUsedTokens?.toString() ?? null, creditsForfeitedTokens: s.creditsForfeitedTokens?.toString() ?? null })),
  };
}

/** The blotter: filters, sorting and pagination, org-scoped. */
export async function listContracts(ctx: Ctx, q: z.output<typeof contractsQuery>) {
  return cachedRead(ctx, "listContracts", q, () => listContractsUncached(ctx, q));
}
async function listContractsUncached(ctx: Ctx, q: z.output<typeof contractsQuery>) {
  if (q.modelClassId) await requireOwned(ctx, "modelClass", q.modelClassId);
  if (q.counterpartyId) await requireOwned(ctx, "counterparty", q.counterpartyId);
  const where: Prisma.ContractWhereInput = {
    organizationId: ctx.orgId,
    ...(q.status ? { status: q.status } : {}),
    ...(q.counterpartyId ? { counterpartyId: q.counterpartyId } : {}),
    product: {
      ...(q.modelClassId ? { modelClassId: q.modelClassId } : {}),
      // windows overlapping [from, to]
      ...(q.from ? { windowEnd: { gte: dayOf(q.from) } } : {}),
      ...(q.to ? { windowStart: { lte: dayOf(q.to) } } : {}),
    },
  };
  const orderBy: Prisma.ContractOrderByWithRelationInput[] =
    q.sort === "windowStart" ? [{ product: { windowStart: q.dir } }] : q.sort === "reference" ? [{ reference: q.dir }] : q.sort === "notional" ? [{ product: { quantityTokens: q.dir } }] : [{ bookedAt: q.dir }];
  const [total, rows] = await Promise.all([
    prisma.contract.count({ where }),
    prisma.contract.findMany({ where, include: INCLUDE, orderBy: [...orderBy, { id: "asc" }], skip: (q.page - 1) * q.pageSize, take: q.pageSize }),
  ]);
  const drift = await driftByClass(ctx.orgId, [...new Set(rows.map((r) => r.product.modelClassId))]);
  const items = rows.map((r) => contractRow(r, drift(r.product.modelClassId, r.bookedAt)));
  if (q.sort === "notional") items.sort((a, b) => new Decimal(a.notionalUsd).comparedTo(b.notionalUsd) * (q.dir === "asc" ? 1 : -1));
  return { total, page: q.page, pageSize: q.pageSize, items };
}

/** Counts for the navigation and alerts: approvals waiting for this CFO, open contracts with drift. */
/** Nav badges on every page: cached per data version (lib/services/read-cache.ts); depends on who asks. */
export async function contractAlerts(ctx: Ctx) {
  return cachedRead(ctx, "contractAlerts", ctx.actorId, () => contractAlertsUncached(ctx));
}
async function contractAlertsUncached(ctx: Ctx) {
  const pending = await prisma.contract.count({ where: { organizationId: ctx.orgId, status: "PENDING_APPROVAL", ...(ctx.actorId ? { NOT: { bookedById: ctx.actorId } } : {}) } });
  const open = await prisma.contract.findMany({ where: { organizationId: ctx.orgId, status: { in: [...OPEN_STATUSES] } }, select: { bookedAt: true, product: { select: { modelClassId: true } } } });
  const drift = await driftByClass(ctx.orgId, [...new Set(open.map((o) => o.product.modelClassId))]);
  return { pendingApprovals: pending, drifted: open.filter((o) => drift(o.product.modelClassId, o.bookedAt)).length };
}

const AMENDABLE: readonly ContractStatus[] = ["DRAFT", "PENDING_APPROVAL", "BOOKED", "DELIVERING"];

/**
 * Amends (or removes, with null) a contract's service terms, as agreed again with the counterparty: the product's
 * terms change under the contract's row lock with a SERVICE_TERMS_AMENDED event (before and after) and an audit
 * row in the same transaction. Only while the contract is open (409 otherwise); unchanged terms are a 409 too, so
 * the timeline holds only real changes.
 */
export async function amendServiceTerms(ctx: Ctx, id: string, input: z.output<typeof amendServiceTermsSchema>) {
  await requireOwned(ctx, "contract", id);
  const after = normalTerms(input.serviceTerms);
  await prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "Contract" WHERE id = ${id} FOR UPDATE`;
    const c = await tx.contract.findFirstOrThrow({ where: { id, organizationId: ctx.orgId }, include: { product: true } });
    if (!AMENDABLE.includes(c.status)) throw conflict(`Cannot amend the service terms of a contract that is ${c.status.toLowerCase().replace("_", " ")}`);
    const shown = serviceTermsOf(c.product);
    const before = shown ? normalTerms({ ...shown, serviceCreditRule: shown.serviceCreditRule as ServiceTermsInput["serviceCreditRule"], supportTier: shown.supportTier }) : null;
    if (stableJson(before) === stableJson(after)) throw conflict("The service terms are unchanged");
    await tx.contractProduct.update({ where: { id: c.productId }, data: { ...termsData(after), serviceCreditRule: after?.serviceCreditRule ? (after.serviceCreditRule as Prisma.InputJsonValue) : Prisma.DbNull } });
    await event(tx, ctx, id, "SERVICE_TERMS_AMENDED", { status: c.status, serviceTerms: before }, { status: c.status, serviceTerms: after }, input.comment);
    await audit(tx, ctx, "contract.service-terms", "contract", id, { reference: c.reference, before, after });
  });
  return contractDetail(ctx, id);
}
