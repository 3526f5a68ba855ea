import { beforeAll, describe, expect, it, vi } from "vitest";
import Decimal from "decimal.js";
import Papa from "papaparse";
import { prisma } from "@/lib/db/client";
import { backfillMarks, MARKS_CSV_COLUMNS, portfolioMarks, runMarks, type StoredPeriod } from "@/lib/services/hedging/marks";
import { runSettlements } from "@/lib/services/hedging/settlements";
import { HANDLERS } from "@/lib/jobs/handlers";
import { JOBS } from "@/lib/jobs/queue";
import { MARK_COLUMNS, markRows, marketSnapshot, valueForward } from "@/lib/domain/valuation";
import { dailyMedianSpots } from "@/lib/domain/settlement";
import { moneyString } from "@/lib/domain/money";
import * as marksRoute from "@/app/api/v1/marks/route";
import * as historyRoute from "@/app/api/v1/marks/history/route";
import * as runRoute from "@/app/api/v1/marks/run/route";
import { makeOrg, type TestOrg } from "./fixtures";
import { call, signInAs } from "./route";
import type { ContractStatus, SettlementType } from "@/lib/generated/prisma/enums";

vi.mock("next-auth", async (o) => ({ ...(await o<object>()), getServerSession: async () => (await import("./route")).session.current }));
const queued: string[] = [];
vi.mock("@/lib/jobs/queue", async (o) => ({
  ...(await o<object>()),
  enqueue: async (name: string, data: { orgId?: string }) => (queued.push(`${name}:${data.orgId}`), "job-1"),
  enqueueFollowUp: async (name: string, orgId: string) => void queued.push(`${name}:${orgId}`),
}));

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const asOf = day("2026-11-24");

type Booking = { reference: string; settlement?: SettlementType; quantityTokens: bigint; windowStart: string; windowEnd: string; strike: string; status?: ContractStatus; bookedAt?: string; modelClassId?: string };
async function book(o: TestOrg, counterpartyId: string, b: Booking) {
  const product = await prisma.contractProduct.create({
    data: {
      organizationId: o.org.id, providerId: o.provider.id, modelClassId: b.modelClassId ?? o.cls.id, quantityTokens: b.quantityTokens,
      windowStart: day(b.windowStart), windowEnd: day(b.windowEnd), strikeUsdPerMTokens: b.strike, settlement: b.settlement ?? "FINANCIAL",
    },
  });
  return prisma.contract.create({
    data: {
      organizationId: o.org.id, reference: b.reference, productId: product.id, counterpartyId, status: b.status ?? "BOOKED", substitutionRule: "MANUAL_REVIEW",
      bookedById: o.users.PROCUREMENT.id, bookedByName: "PROCUREMENT", bookedAt: new Date(b.bookedAt ?? "2026-10-01T10:00:00Z"), idempotencyKey: b.reference, requestHash: b.reference,
    },
  });
}

/** A curve as the builder stores it: the class's spot for its own month, then monthly points. */
async function curve(o: TestOrg, asOfDay: string, spot: string, points: [string, string][]) {
  return prisma.forwardCurve.create({
    data: {
      organizationId: o.org.id, modelClassId: o.cls.id, asOf: day(asOfDay), spotUsdPerMTokens: spot, params: {},
      points: { createMany: { data: points.map(([m, p]) => ({ deliveryMonth: day(`${m}-01`), priceUsdPerMTokens: p, kind: "QUOTED" as const, quoteCount: 4, stale: false, wide: false, thin: false })) } },
    },
  });
}

const SPOTS: [string, string, "SPOT_LIST" | "SPOT_REALIZED" | "FORWARD"][] = [
  // Oct 25: median of 2.9 and 3.1 = 3.0, carried to Nov 9
  ["2026-10-25T09:00:00Z", "2.9", "SPOT_LIST"],
  ["2026-10-25T15:00:00Z", "3.1", "SPOT_REALIZED"],
  // a forward quote is never spot
  ["2026-11-05T12:00:00Z", "9", "FORWARD"],
  // Nov 10: 3.2, carried on
  ["2026-11-10T12:00:00Z", "3.2", "SPOT_LIST"],
  // the as-of day's own spot is not yet observed
  ["2026-11-24T08:00:00Z", "50", "SPOT_LIST"],
];

let o: TestOrg;
let other: TestOrg;
const c = {} as Record<"dec" | "nov" | "span" | "credits" | "pending" | "cancelled" | "later" | "ended" | "reasoning", { id: string }>;
let curveNov20: { id: string };
let curveNov10: { id: string };

beforeAll(async () => {
  o = await makeOrg("marks");
  other = await makeOrg("marks-other");
  const cp = await prisma.counterparty.create({ data: { organizationId: o.org.id, name: "Desk", rating: "A", limitUsd: "10000000" } });
  const reasoning = await prisma.modelClass.create({ data: { organizationId: o.org.id, key: "reasoning", name: "Reasoning" } });
  c.dec = await book(o, cp.id, { reference: "M-DEC", quantityTokens: 31_000_000n, windowStart: "2026-12-01", windowEnd: "2026-12-31", strike: "2.5" });
  c.nov = await book(o, cp.id, { reference: "M-NOV", quantityTokens: 30_000_000n, windowStart: "2026-11-01", windowEnd: "2026-11-30", strike: "2.8" });
  c.span = await book(o, cp.id, { reference: "M-SPAN", quantityTokens: 67_000_000n, windowStart: "2026-10-26", windowEnd: "2026-12-31", strike: "2.9", bookedAt: "2026-10-20T10:00:00Z" });
  c.credits = await book(o, cp.id, { reference: "M-CREDITS", settlement: "SERVICE_CREDITS", quantityTokens: 31_000_000n, windowStart: "2026-12-01", windowEnd: "2026-12-31", strike: "2" });
  c.pending = await book(o, cp.id, { reference: "M-PENDING", quantityTokens: 31_000_000n, windowStart: "2026-12-01", windowEnd: "2026-12-31", strike: "2", status: "PENDING_APPROVAL" });
  c.cancelled = await book(o, cp.id, { reference: "M-CANCELLED", quantityTokens: 31_000_000n, windowStart: "2026-12-01", windowEnd: "2026-12-31", strike: "2", status: "CANCELLED" });
  c.later = await book(o, cp.id, { reference: "M-LATER", quantityTokens: 31_000_000n, windowStart: "2026-12-01", windowEnd: "2026-12-31", strike: "2", bookedAt: "2026-11-25T09:00:00Z" });
  c.ended = await book(o, cp.id, { reference: "M-ENDED", quantityTokens: 10_000_000n, windowStart: "2026-11-01", windowEnd: "2026-11-10", strike: "3" });
  c.reasoning = await book(o, cp.id, { reference: "M-REASONING", quantityTokens: 31_000_000n, windowStart: "2026-12-01", windowEnd: "2026-12-31", strike: "9", modelClassId: reasoning.id });
  await prisma.priceQuote.createMany({
    data: SPOTS.map(([at, mid, kind]) => ({ organizationId: o.org.id, modelClassId: o.cls.id, kind, source: "test", sourceType: "PROVIDER" as const, midUsdPerMTokens: mid, asOf: new Date(at), deliveryMonth: kind === "FORWARD" ? day("2026-12-01") : null })),
  });
  curveNov10 = await curve(o, "2026-11-10", "3.2", [["2026-12", "3.0"], ["2027-01", "2.9"]]);
  curveNov20 = await curve(o, "2026-11-20", "3.3", [["2026-12", "3.1"], ["2027-01", "3.0"]]);
});

const marksOn = async (d: string) => prisma.contractMark.findMany({ where: { organizationId: o.org.id, asOf: day(d) }, include: { contract: { select: { reference: true } } }, orderBy: { contract: { reference: "asc" } } });
const df = (days: number) => new Decimal(-0.04).mul(days).div(365).exp();

describe("marks job", () => {
  it("marks each contract live on the day with valuation.ts against that day's curve, spot and the 4% default rate", async () => {
    const r = await runMarks(o.org.id, new Date("2026-11-24T03:15:00Z"));
    expect(r.asOf).toBe("2026-11-24");
    expect(r.ratePct).toBe("4");
    // pending, cancelled, booked tomorrow and ended contracts are not live; reasoning has no curve
    expect(r.skipped.map((s) => s.reference)).toEqual(["M-REASONING"]);
    expect(r.skipped[0].reason).toMatch(/no forward for .* 2026-12/);
    const marks = await marksOn("2026-11-24");
    expect(marks.map((m) => m.contract.reference)).toEqual(["M-CREDITS", "M-DEC", "M-NOV", "M-SPAN"]);
    expect(new Set(marks.map((m) => m.curveId))).toEqual(new Set([curveNov20.id]));
    const by = (ref: string) => marks.find((m) => m.contract.reference === ref)!;

    // M-DEC, a forward month: (3.1 − 2.5) × 31M / 1e6, paid Jan 1 (38 days) → 18.6 × e^(−0.04 × 38/365)
    expect(by("M-DEC").valueUsd.toFixed(6)).toBe(moneyString(new Decimal("18.6").mul(df(38))));
    expect(by("M-DEC").realisedUsd.toFixed(6)).toBe("0.000000");
    // M-NOV, averaging: Nov 1–9 at 3.0 (carried from Oct 25), Nov 10–23 at 3.2, Nov 24–30 at the curve's November
    // (its own month: spot 3.3): (27 + 44.8 + 23.1) / 30 = 3.163333…; (3.163333… − 2.8) × 30 = 10.9, paid Dec 1 (7 days)
    expect(by("M-NOV").valueUsd.toFixed(6)).toBe(moneyString(new Decimal("10.9").mul(df(7))));
    // service credits are marked as a financial forward: as M-DEC at strike 2: (3.1 − 2) × 31
    expect(by("M-CREDITS").valueUsd.toFixed(6)).toBe(moneyString(new Decimal("34.1").mul(df(38))));
    // M-SPAN: October realised (6 days at 3.0 vs 2.9: 0.6, undiscounted), November averaging, December forward
    const span = by("M-SPAN");
    expect(span.realisedUsd.toFixed(6)).toBe("0.600000");
    const nov = new Decimal(94.9).div(30).sub("2.9").mul(30).mul(df(7));
    const dec = new Decimal("0.2").mul(31).mul(df(38));
    expect(span.unrealisedUsd.toFixed(6)).toBe(moneyString(nov.add(dec)));
    expect(span.valueUsd.toFixed(6)).toBe(moneyString(nov.add(dec).add("0.6")));
    const periods = span.periods as unknown as StoredPeriod[];
    expect(periods.map((p) => [p.period, p.state, p.quantityTokens])).toEqual([["2026-10", "realised", "6000000"], ["2026-11", "averaging", "30000000"], ["2026-12", "forward", "31000000"], ["TOTAL", "total", "67000000"]]);
    expect(periods[1]).toMatchObject({ observedDays: 23, forwardPrice: "3.300000", price: "3.163333" });
  });

  it("stores what `npm run value` prints for the same market (period rows are valuation.markRows)", async () => {
    const quotes = SPOTS.filter(([at, , kind]) => kind !== "FORWARD" && new Date(at) < asOf).map(([at, mid]) => ({ modelClass: o.cls.id, at: new Date(at), mid }));
    const market = marketSnapshot({
      asOf,
      rate: "0.04",
      forwards: [{ modelClass: o.cls.id, month: "2026-11", price: "3.3" }, { modelClass: o.cls.id, month: "2026-12", price: "3.1" }, { modelClass: o.cls.id, month: "2027-01", price: "3.0" }],
      spots: dailyMedianSpots(quotes),
    });
    const product = await prisma.contractProduct.findFirstOrThrow({ where: { contract: { id: c.span.id } } });
    const expected = markRows(valueForward({ id: c.span.id, modelClass: o.cls.id, quantityTokens: product.quantityTokens, windowStart: product.windowStart, windowEnd: product.windowEnd, strikePerMTokens: new Decimal(product.strikeUsdPerMTokens.toString()) }, market));
    const stored = (await prisma.contractMark.findUniqueOrThrow({ where: { contractId_asOf: { contractId: c.span.id, asOf } } })).periods as unknown as StoredPeriod[];
    expect(stored.map(({ id, period, state, quantityTokens, price, discountFactor, valueUsd }) => ({ id, period, state, quantityTokens, price, discountFactor, valueUsd }))).toEqual(expected);
  });

  it("a realised month's mark equals its financial settlement", async () => {
    await runSettlements(o.org.id, asOf);
    const s = await prisma.settlement.findUniqueOrThrow({ where: { contractId_periodMonth: { contractId: c.span.id, periodMonth: day("2026-10-01") } } });
    const m = await prisma.contractMark.findUniqueOrThrow({ where: { contractId_asOf: { contractId: c.span.id, asOf } } });
    expect(s.amountUsd.toFixed(6)).toBe(m.realisedUsd.toFixed(6));
  });

  it("re-running a day replaces that day: one mark per contract, at the new curve, even when two runs overlap", async () => {
    await prisma.curvePoint.updateMany({ where: { curveId: curveNov20.id, deliveryMonth: day("2026-12-01") }, data: { priceUsdPerMTokens: "3.5" } });
    await Promise.all([runMarks(o.org.id, asOf), runMarks(o.org.id, new Date("2026-11-24T22:00:00Z"))]);
    const marks = await marksOn("2026-11-24");
    expect(marks).toHaveLength(4);
    // (3.5 − 2.5) × 31
    expect(marks.find((m) => m.contract.reference === "M-DEC")!.valueUsd.toFixed(6)).toBe(moneyString(new Decimal(31).mul(df(38))));
    // a contract cancelled since drops out of the re-run day
    await prisma.contract.update({ where: { id: c.credits.id }, data: { status: "CANCELLED" } });
    await runMarks(o.org.id, asOf);
    expect((await marksOn("2026-11-24")).map((m) => m.contract.reference)).toEqual(["M-DEC", "M-NOV", "M-SPAN"]);
    await prisma.contract.update({ where: { id: c.credits.id }, data: { status: "BOOKED" } });
    await prisma.curvePoint.updateMany({ where: { curveId: curveNov20.id, deliveryMonth: day("2026-12-01") }, data: { priceUsdPerMTokens: "3.1" } });
    await runMarks(o.org.id, asOf);
  });

  it("uses the org's discount rate setting", async () => {
    await prisma.organization.update({ where: { id: o.org.id }, data: { settings: { discountRatePct: 0 } } });
    const r = await runMarks(o.org.id, day("2026-11-26"));
    expect(r.ratePct).toBe("0");
    const dec = (await marksOn("2026-11-26")).find((m) => m.contract.reference === "M-DEC")!;
    expect(dec.valueUsd.toFixed(6)).toBe("18.600000");
    await prisma.contractMark.deleteMany({ where: { organizationId: o.org.id, asOf: day("2026-11-26") } });
    await prisma.organization.update({ where: { id: o.org.id }, data: { settings: {} } });
  });

  it("backfills past days as the daily job would have marked them, each against the curve then in force", async () => {
    const r = await backfillMarks(o.org.id, day("2026-11-09"), day("2026-11-25"));
    expect(r.from).toBe("2026-11-09");
    const nov9 = await marksOn("2026-11-09");
    // before the first curve there is nothing to mark with; M-ENDED was live until Nov 10
    expect(nov9).toHaveLength(0);
    expect(r.skipped.join("\n")).toMatch(/M-ENDED: .*no forward/);
    const nov15 = await marksOn("2026-11-15");
    expect(nov15.map((m) => m.contract.reference)).toEqual(["M-CREDITS", "M-DEC", "M-NOV", "M-SPAN"]);
    expect(new Set(nov15.map((m) => m.curveId))).toEqual(new Set([curveNov10.id]));
    const nov10 = await marksOn("2026-11-10");
    expect(nov10.map((m) => m.contract.reference)).toContain("M-ENDED");
    // M-LATER is marked from the day it was booked
    expect((await marksOn("2026-11-25")).map((m) => m.contract.reference)).toContain("M-LATER");
    expect(await prisma.contractMark.count({ where: { organizationId: o.org.id, asOf: day("2026-11-24") } })).toBe(4);
    // exactly what the daily job writes for each of those days
    const shown = (ms: Awaited<ReturnType<typeof marksOn>>) => ms.map((m) => [m.contract.reference, m.curveId, m.valueUsd.toFixed(6), m.realisedUsd.toFixed(6), m.unrealisedUsd.toFixed(6), m.periods]);
    for (const d of ["2026-11-10", "2026-11-15", "2026-11-20", "2026-11-25"]) {
      const backfilled = shown(await marksOn(d));
      await runMarks(o.org.id, day(d));
      expect(shown(await marksOn(d))).toEqual(backfilled);
    }
  });

  it("the nightly job logs its run; a curve rebuild queues it", async () => {
    await HANDLERS[JOBS.computeMarks]!({ orgId: other.org.id });
    const run = await prisma.jobRun.findFirstOrThrow({ where: { organizationId: other.org.id, name: "marks.daily" } });
    expect(run.status).toBe("SUCCEEDED");
    expect(run.details).toMatchObject({ marked: 0, skipped: [] });
    await HANDLERS[JOBS.rebuildCurves]!({ orgId: other.org.id });
    expect(queued).toContain(`marks.daily:${other.org.id}`);
  });
});

describe("marks API", () => {
  it("portfolio on the latest day with totals by class, counterparty and settlement; change since the previous mark day", async () => {
    signInAs(o.users.CFO.id, o.org.id);
    const r = await call(marksRoute.GET, "/api/v1/marks?asOf=2026-11-24");
    expect(r.status).toBe(200);
    expect(r.json.asOf).toBe("2026-11-24");
    expect(r.json.previousAsOf).toBe("2026-11-23");
    const total = r.json.lines.reduce((s: Decimal, l: { valueUsd: string }) => s.add(l.valueUsd), new Decimal(0));
    expect(new Decimal(r.json.total.valueUsd).eq(total)).toBe(true);
    expect(r.json.bySettlement.map((g: { key: string; count: number }) => [g.key, g.count])).toEqual([["FINANCIAL", 3], ["SERVICE_CREDITS", 1]]);
    expect(r.json.byCounterparty).toHaveLength(1);
    const nov = r.json.lines.find((l: { reference: string }) => l.reference === "M-NOV");
    const prev = await prisma.contractMark.findUniqueOrThrow({ where: { contractId_asOf: { contractId: c.nov.id, asOf: day("2026-11-23") } } });
    expect(new Decimal(nov.changeUsd).eq(new Decimal(nov.valueUsd).sub(prev.valueUsd.toString()))).toBe(true);
    expect(r.json.change1d.contracts).toBe(4);
    // the latest day by default
    expect((await call(marksRoute.GET, "/api/v1/marks")).json.asOf).toBe("2026-11-25");
  });

  it("downloads marks as CSV, per contract and per period in `npm run value`'s layout", async () => {
    signInAs(o.users.PROCUREMENT.id, o.org.id);
    const r = await call(marksRoute.GET, "/api/v1/marks?asOf=2026-11-24&format=csv");
    expect(r.status).toBe(200);
    const parsed = Papa.parse<string[]>(r.text.trim());
    expect(parsed.data[0]).toEqual([...MARKS_CSV_COLUMNS]);
    expect(parsed.data.slice(1).map((row) => row[1])).toEqual(["M-CREDITS", "M-DEC", "M-NOV", "M-SPAN"]);
    const dec = parsed.data.find((row) => row[1] === "M-DEC")!;
    expect(dec[10]).toBe((await prisma.contractMark.findUniqueOrThrow({ where: { contractId_asOf: { contractId: c.dec.id, asOf } } })).valueUsd.toFixed(6));
    const periods = Papa.parse<string[]>((await call(marksRoute.GET, "/api/v1/marks?asOf=2026-11-24&format=csv&detail=periods")).text.trim()).data;
    expect(periods[0]).toEqual([...MARK_COLUMNS]);
    expect(periods.filter((p) => p[0] === "M-SPAN").map((p) => p[1])).toEqual(["2026-10", "2026-11", "2026-12", "TOTAL"]);
    expect((await call(marksRoute.GET, "/api/v1/marks?format=xml")).json.error.issues[0].path).toBe("query.format");
    expect((await call(marksRoute.GET, "/api/v1/marks?asOf=2026-02-30")).json.error.issues[0].path).toBe("query.asOf");
  });

  it("history: portfolio per day and per contract; a foreign contract is 404", async () => {
    signInAs(o.users.CFO.id, o.org.id);
    const h = await call(historyRoute.GET, "/api/v1/marks/history?days=1000");
    expect(h.status).toBe(200);
    expect(h.json.portfolio.map((p: { asOf: string }) => p.asOf)).toContain("2026-11-15");
    const span = h.json.contracts.find((x: { reference: string }) => x.reference === "M-SPAN");
    expect(span.points.length).toBeGreaterThanOrEqual(16);
    const one = await call(historyRoute.GET, `/api/v1/marks/history?days=1000&contractId=${c.dec.id}`);
    expect(one.json.contracts.map((x: { reference: string }) => x.reference)).toEqual(["M-DEC"]);
    signInAs(other.users.CFO.id, other.org.id);
    expect((await call(historyRoute.GET, `/api/v1/marks/history?contractId=${c.dec.id}`)).status).toBe(404);
    expect((await call(marksRoute.GET, "/api/v1/marks")).json).toEqual({ asOf: null, lines: [] });
  });

  it("team leads get 403 everywhere; finance roles may queue a run", async () => {
    signInAs(o.users.TEAM_LEAD.id, o.org.id);
    expect((await call(marksRoute.GET, "/api/v1/marks")).status).toBe(403);
    expect((await call(marksRoute.GET, "/api/v1/marks?format=csv")).status).toBe(403);
    expect((await call(historyRoute.GET, "/api/v1/marks/history")).status).toBe(403);
    expect((await call(runRoute.POST, "/api/v1/marks/run", { method: "POST" })).status).toBe(403);
    signInAs(o.users.ADMIN.id, o.org.id);
    expect((await call(marksRoute.GET, "/api/v1/marks")).status).toBe(200);
    signInAs(o.users.CFO.id, o.org.id);
    const q = await call(runRoute.POST, "/api/v1/marks/run", { method: "POST" });
    expect(q.status).toBe(201);
    expect(queued).toContain(`marks.daily:${o.org.id}`);
  });

  it("portfolioMarks is empty before any mark", async () => {
    expect(await portfolioMarks({ orgId: other.org.id })).toBeNull();
  });
});
