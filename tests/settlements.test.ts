import { Readable } from "node:stream";
import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { prisma } from "@/lib/db/client";
import { importUsage } from "@/lib/services/usage-import";
import { runSettlements, settlementStatement } from "@/lib/services/hedging/settlements";
import * as settlementsRoute from "@/app/api/v1/contracts/[id]/settlements/route";
import { makeOrg, type TestOrg } from "./fixtures";
import { call, signInAs } from "./route";
import type { ContractStatus, SettlementType } from "@/lib/generated/prisma/enums";

vi.mock("next-auth", async (o) => ({ ...(await o<object>()), getServerSession: async () => (await import("./route")).session.current }));

const DAY = 86_400_000;
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const iso = (d: Date) => d.toISOString().slice(0, 10);

type Booking = { reference: string; settlement: SettlementType; quantityTokens: bigint; windowStart: string; windowEnd: string; strike: string; status?: ContractStatus; bookedAt: string; modelClassId?: string };

/** A product + trade as the booking flow leaves it, with its CREATED event. */
async function book(o: TestOrg, counterpartyId: string, b: Booking) {
  const product = await prisma.contractProduct.create({
    data: {
      organizationId: o.org.id, providerId: o.provider.id, modelClassId: b.modelClassId ?? o.cls.id, quantityTokens: b.quantityTokens,
      windowStart: day(b.windowStart), windowEnd: day(b.windowEnd), strikeUsdPerMTokens: b.strike, settlement: b.settlement,
    },
  });
  const status = b.status ?? "BOOKED";
  const contract = await prisma.contract.create({
    data: {
      organizationId: o.org.id, reference: b.reference, productId: product.id, counterpartyId, status, substitutionRule: "MANUAL_REVIEW",
      bookedById: o.users.PROCUREMENT.id, bookedByName: "PROCUREMENT", bookedAt: new Date(b.bookedAt), idempotencyKey: b.reference, requestHash: b.reference,
    },
  });
  await prisma.contractEvent.create({ data: { organizationId: o.org.id, contractId: contract.id, actorId: o.users.PROCUREMENT.id, actorName: "PROCUREMENT", type: "CREATED", after: { status } } });
  return contract;
}

const counterparty = (o: TestOrg) => prisma.counterparty.create({ data: { organizationId: o.org.id, name: "Broker", rating: "A", limitUsd: "10000000" } });
const spot = (o: TestOrg, modelClassId: string, at: string, mid: string, kind: "SPOT_LIST" | "SPOT_REALIZED" | "FORWARD" = "SPOT_LIST") => ({
  organizationId: o.org.id, modelClassId, kind, source: "test", sourceType: "PROVIDER" as const, midUsdPerMTokens: mid, asOf: new Date(at),
  deliveryMonth: kind === "FORWARD" ? day("2026-04-01") : null,
});
const eventsOf = async (contractId: string) =>
  (await prisma.contractEvent.findMany({ where: { contractId }, orderBy: [{ at: "asc" }, { id: "asc" }] })).map((e) => ({ type: e.type, before: e.before, after: e.after, actorId: e.actorId, actorName: e.actorName }));
const statusOf = async (id: string) => (await prisma.contract.findUniqueOrThrow({ where: { id } })).status;

/** Daily usage rows for the import CSV: [team, model, input, output] every day from `from` to `to`. */
function usageCsv(days: [string, string, [string, string, number, number][]][]) {
  const lines = ["date,team,provider,model,input_tokens,output_tokens,cached_input_tokens,requests,cost_usd"];
  for (const [from, to, rows] of days)
    for (let d = day(from); d <= day(to); d = new Date(d.getTime() + DAY))
      for (const [team, model, input, output] of rows) lines.push(`${iso(d)},${team},OpenAI,${model},${input},${output},0,1,`);
  return lines.join("\n");
}
const importCsv = (o: TestOrg, fileName: string, csv: string) =>
  importUsage(o.ctx("ADMIN"), { fileName, body: Readable.from([Buffer.from(csv)]), mode: "commit", onErrors: "reject" });

describe("financial settlement job", () => {
  let o: TestOrg;
  let other: TestOrg;
  const c = {} as Record<"main" | "low" | "pending" | "wait", { id: string }>;

  beforeAll(async () => {
    o = await makeOrg("settle");
    other = await makeOrg("settle-other");
    const cp = await counterparty(o);
    const reasoning = await prisma.modelClass.create({ data: { organizationId: o.org.id, key: "reasoning", name: "Reasoning" } });
    // window 2026-03-17..04-30: 45 days, 45M tokens → March 15M, April 30M (as in lib/domain/settlement.test.ts)
    c.main = await book(o, cp.id, { reference: '=HYPERLINK("x")', settlement: "FINANCIAL", quantityTokens: 45_000_000n, windowStart: "2026-03-17", windowEnd: "2026-04-30", strike: "10", bookedAt: "2026-02-01T10:00:00Z" });
    c.low = await book(o, cp.id, { reference: "FWD-LOW", settlement: "FINANCIAL", quantityTokens: 15_000_000n, windowStart: "2026-03-17", windowEnd: "2026-03-31", strike: "12", bookedAt: "2026-02-02T10:00:00Z" });
    c.pending = await book(o, cp.id, { reference: "FWD-PENDING", settlement: "FINANCIAL", quantityTokens: 45_000_000n, windowStart: "2026-03-17", windowEnd: "2026-04-30", strike: "10", status: "PENDING_APPROVAL", bookedAt: "2026-02-03T10:00:00Z" });
    c.wait = await book(o, cp.id, { reference: "FWD-WAIT", settlement: "FINANCIAL", quantityTokens: 31_000_000n, windowStart: "2026-03-01", windowEnd: "2026-03-31", strike: "5", bookedAt: "2026-02-04T10:00:00Z", modelClassId: reasoning.id });
    await prisma.priceQuote.createMany({
      data: [
        // Mar 16 (before the window, carried into Mar 17–23): median of 8 and 10 = 9
        spot(o, o.cls.id, "2026-03-16T09:00:00Z", "8", "SPOT_REALIZED"),
        spot(o, o.cls.id, "2026-03-16T17:00:00Z", "10"),
        // Mar 24: 13, carried to the end of April; the forward quote that day is not spot
        spot(o, o.cls.id, "2026-03-24T12:00:00Z", "13"),
        spot(o, o.cls.id, "2026-03-24T12:00:00Z", "99", "FORWARD"),
        // reasoning: first observation on Mar 5, so Mar 1–4 have no spot
        spot(o, reasoning.id, "2026-03-05T12:00:00Z", "6"),
      ],
    });
  });

  it("starts delivery on the window's first day, settles each month once after it ends, then settles the contract", async () => {
    expect(await runSettlements(o.org.id, new Date("2026-03-10T03:00:00Z"))).toEqual({ asOf: "2026-03-10", settled: 0, delivering: 1, completed: 0, waitingForSpot: [], waitingForUsage: [] });
    expect(await statusOf(c.wait.id)).toBe("DELIVERING");
    expect(await statusOf(c.main.id)).toBe("BOOKED");

    expect(await runSettlements(o.org.id, new Date("2026-03-20T03:00:00Z"))).toMatchObject({ settled: 0, delivering: 2, completed: 0 });
    expect(await statusOf(c.main.id)).toBe("DELIVERING");

    // April 1: March is over. main: avg = (7 × 9 + 8 × 13) / 15 = 167/15, (167/15 − 10) × 15 = 17 USD;
    // low: (167/15 − 12) × 15 = −13 USD and nothing left to settle; wait: Mar 1 has no spot yet
    const apr = await runSettlements(o.org.id, new Date("2026-04-01T03:00:00Z"));
    expect(apr).toEqual({
      asOf: "2026-04-01", settled: 2, delivering: 0, completed: 1,
      waitingForSpot: [{ contractId: c.wait.id, reference: "FWD-WAIT", month: "2026-03", day: "2026-03-01" }], waitingForUsage: [],
    });
    const rows = await prisma.settlement.findMany({ where: { organizationId: o.org.id }, orderBy: [{ contractId: "asc" }, { periodMonth: "asc" }] });
    const shown = (id: string) => rows.filter((r) => r.contractId === id).map((r) => [iso(r.periodMonth), r.quantityTokens, r.avgSpotUsdPerMTokens?.toFixed(6), r.amountUsd.toFixed(6), r.creditsUsedTokens]);
    expect(shown(c.main.id)).toEqual([["2026-03-01", 15_000_000n, "11.133333", "17.000000", null]]);
    expect(shown(c.low.id)).toEqual([["2026-03-01", 15_000_000n, "11.133333", "-13.000000", null]]);
    expect(await statusOf(c.low.id)).toBe("SETTLED");
    expect(await statusOf(c.main.id)).toBe("DELIVERING");

    // May 1: April at a carried-forward 13: (13 − 10) × 30 = 90 USD; main is settled
    expect(await runSettlements(o.org.id, new Date("2026-05-01T03:00:00Z"))).toMatchObject({ settled: 1, delivering: 0, completed: 1 });
    expect(await statusOf(c.main.id)).toBe("SETTLED");
    const april = await prisma.settlement.findUniqueOrThrow({ where: { contractId_periodMonth: { contractId: c.main.id, periodMonth: day("2026-04-01") } } });
    expect([april.quantityTokens, april.avgSpotUsdPerMTokens?.toFixed(6), april.amountUsd.toFixed(6)]).toEqual([30_000_000n, "13.000000", "90.000000"]);

    const job = { actorId: null, actorName: "Settlement job" };
    expect(await eventsOf(c.main.id)).toEqual([
      { type: "CREATED", before: null, after: { status: "BOOKED" }, actorId: o.users.PROCUREMENT.id, actorName: "PROCUREMENT" },
      { type: "DELIVERY_STARTED", before: { status: "BOOKED" }, after: { status: "DELIVERING" }, ...job },
      {
        type: "PERIOD_SETTLED", before: { status: "DELIVERING" }, ...job,
        after: { status: "DELIVERING", settlement: "FINANCIAL", month: "2026-03", quantityTokens: "15000000", avgSpotUsdPerMTokens: "11.133333", strikeUsdPerMTokens: "10.000000", amountUsd: "17.000000", creditsUsedTokens: null, creditsForfeitedTokens: null },
      },
      {
        type: "PERIOD_SETTLED", before: { status: "DELIVERING" }, ...job,
        after: { status: "DELIVERING", settlement: "FINANCIAL", month: "2026-04", quantityTokens: "30000000", avgSpotUsdPerMTokens: "13.000000", strikeUsdPerMTokens: "10.000000", amountUsd: "90.000000", creditsUsedTokens: null, creditsForfeitedTokens: null },
      },
      { type: "SETTLED", before: { status: "DELIVERING" }, after: { status: "SETTLED" }, ...job },
    ]);
    expect((await eventsOf(c.low.id)).map((e) => e.type)).toEqual(["CREATED", "DELIVERY_STARTED", "PERIOD_SETTLED", "SETTLED"]);
  });

  it("changes nothing when run again, even twice at once", async () => {
    const count = async () => [await prisma.settlement.count({ where: { organizationId: o.org.id } }), await prisma.contractEvent.count({ where: { organizationId: o.org.id } })];
    const before = await count();
    const again = await Promise.all([runSettlements(o.org.id, new Date("2026-05-01T03:00:00Z")), runSettlements(o.org.id, new Date("2026-05-01T09:00:00Z"))]);
    for (const r of again) expect(r).toMatchObject({ settled: 0, delivering: 0, completed: 0 });
    expect(await count()).toEqual(before);
    expect(before[0]).toBe(3);
  });

  it("never touches a contract awaiting approval", async () => {
    expect(await statusOf(c.pending.id)).toBe("PENDING_APPROVAL");
    expect(await prisma.settlement.count({ where: { contractId: c.pending.id } })).toBe(0);
    expect((await eventsOf(c.pending.id)).map((e) => e.type)).toEqual(["CREATED"]);
  });

  it("settles a waiting month once spot for its first days arrives", async () => {
    // a late spot import for Mar 1 (5) carries to Mar 4; Mar 5–31 at 6: avg = (4 × 5 + 27 × 6) / 31 = 182/31;
    // amount = (182/31 − 5) × 31 = 182 − 155 = 27 USD
    await prisma.priceQuote.create({ data: spot(o, (await prisma.contractProduct.findFirstOrThrow({ where: { contract: { id: c.wait.id } } })).modelClassId, "2026-03-01T08:00:00Z", "5") });
    expect(await runSettlements(o.org.id, new Date("2026-05-01T03:00:00Z"))).toMatchObject({ settled: 1, completed: 1, waitingForSpot: [] });
    const s = await prisma.settlement.findFirstOrThrow({ where: { contractId: c.wait.id } });
    expect([s.avgSpotUsdPerMTokens?.toFixed(6), s.amountUsd.toFixed(6)]).toEqual(["5.870968", "27.000000"]);
  });

  it("serves the statement as JSON and CSV to finance roles; team leads 403, other orgs 404", async () => {
    const url = (format?: string) => `/api/v1/contracts/${c.main.id}/settlements${format ? `?format=${format}` : ""}`;
    signInAs(o.users.CFO.id, o.org.id);
    const json = await call(settlementsRoute.GET, url(), { params: { id: c.main.id } });
    expect(json.status).toBe(200);
    expect(json.json.rows.map((r: { month: string; amountUsd: string }) => [r.month, r.amountUsd])).toEqual([["2026-03", "17.000000"], ["2026-04", "90.000000"]]);
    expect(json.json.total).toEqual({ quantityTokens: "45000000", amountUsd: "107.000000", creditsUsedTokens: null, creditsForfeitedTokens: null });
    expect(json.json.pendingMonths).toEqual([]);

    signInAs(o.users.PROCUREMENT.id, o.org.id);
    const res = await settlementsRoute.GET(new NextRequest(new URL(url("csv"), "http://localhost")), { params: Promise.resolve({ id: c.main.id }) });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="_HYPERLINK_x_-settlements.csv"');
    // the reference is text starting with "=": neutralised (and quoted, it holds quotes); amounts stay numbers
    expect(await res.text()).toBe(
      "contract_reference,month,quantity_tokens,avg_spot_usd_per_mtok,strike_usd_per_mtok,amount_usd,credits_used_tokens,credits_forfeited_tokens\n" +
        `"'=HYPERLINK(""x"")",2026-03,15000000,11.133333,10.000000,17.000000,,\n` +
        `"'=HYPERLINK(""x"")",2026-04,30000000,13.000000,10.000000,90.000000,,\n`,
    );
    const low = await call(settlementsRoute.GET, `/api/v1/contracts/${c.low.id}/settlements?format=csv`, { params: { id: c.low.id } });
    expect(low.text.split("\n")[1]).toBe("FWD-LOW,2026-03,15000000,11.133333,12.000000,-13.000000,,");

    expect((await call(settlementsRoute.GET, url("xml"), { params: { id: c.main.id } })).status).toBe(422);
    signInAs(o.users.TEAM_LEAD.id, o.org.id);
    expect((await call(settlementsRoute.GET, url("csv"), { params: { id: c.main.id } })).status).toBe(403);
    signInAs(other.users.CFO.id, other.org.id);
    const foreign = await call(settlementsRoute.GET, url("csv"), { params: { id: c.main.id } });
    expect(foreign.status).toBe(404);
    expect(foreign.text).not.toMatch(/HYPERLINK/);
  });

  it("keeps contract events append-only: UPDATE and DELETE are refused by the database", async () => {
    const e = await prisma.contractEvent.findFirstOrThrow({ where: { contractId: c.main.id, type: "PERIOD_SETTLED" } });
    await expect(prisma.contractEvent.update({ where: { id: e.id }, data: { comment: "edited" } })).rejects.toThrow(/append-only/);
    await expect(prisma.contractEvent.delete({ where: { id: e.id } })).rejects.toThrow(/append-only/);
    await expect(prisma.contractEvent.deleteMany({ where: { contractId: c.main.id } })).rejects.toThrow(/append-only/);
    expect(await prisma.contractEvent.count({ where: { contractId: c.main.id } })).toBe(5);
  });
});

describe("service credits settlement", () => {
  it("allocates the class's usage across overlapping contracts in booking order, counting settled ones, and forfeits the rest", async () => {
    const o = await makeOrg("credits");
    const cp = await counterparty(o);
    const reasoning = await prisma.modelClass.create({ data: { organizationId: o.org.id, key: "reasoning", name: "Reasoning" } });
    await prisma.model.create({ data: { organizationId: o.org.id, providerId: o.provider.id, modelClassId: reasoning.id, name: "o3" } });
    // A (booked first): Mar 1–20, 2.0B. B: Mar 11–Apr 9 (30 days, 3.0B → March 21 days 2.1B, April 9 days 0.9B)
    const A = await book(o, cp.id, { reference: "CR-A", settlement: "SERVICE_CREDITS", quantityTokens: 2_000_000_000n, windowStart: "2026-03-01", windowEnd: "2026-03-20", strike: "2.5", bookedAt: "2026-01-05T09:00:00Z" });
    const B = await book(o, cp.id, { reference: "CR-B", settlement: "SERVICE_CREDITS", quantityTokens: 3_000_000_000n, windowStart: "2026-03-11", windowEnd: "2026-04-09", strike: "2.5", bookedAt: "2026-01-10T09:00:00Z" });

    // Usage of the class (both teams, both models; input + output). Mar 1–10: 100M/day → A (1.0B).
    // Mar 11–20: 150M/day, A first: Mar 11–16 6 × 150M = 900M, Mar 17 A's last 100M (A = 2.0B) and B 50M,
    // Mar 18–20 B 450M (B = 500M). Mar 21–24: 100M/day → B 400M (900M). o3 is another class: not counted.
    await importCsv(o, "march.csv", usageCsv([
      ["2026-03-01", "2026-03-10", [["Support", "gpt-4.1", 60_000_000, 40_000_000]]],
      ["2026-03-11", "2026-03-20", [["Support", "gpt-4.1", 70_000_000, 30_000_000], ["Search", "gpt-4.1-mini", 40_000_000, 10_000_000]]],
      ["2026-03-21", "2026-03-24", [["Search", "gpt-4.1-mini", 70_000_000, 30_000_000]]],
      ["2026-03-15", "2026-03-15", [["Search", "o3", 900_000_000, 100_000_000]]],
    ]));

    // Mar 25: A's month is over (used 2.0B × 2.5 / 1e6 = 5000 USD) and A is settled; B has started delivering
    expect(await runSettlements(o.org.id, new Date("2026-03-25T03:00:00Z"))).toEqual({ asOf: "2026-03-25", settled: 1, delivering: 2, completed: 1, waitingForSpot: [], waitingForUsage: [] });
    expect([await statusOf(A.id), await statusOf(B.id)]).toEqual(["SETTLED", "DELIVERING"]);

    // Apr 10: both of B's months are over, but usage stops at Mar 24: settling now would forfeit unseen usage
    expect(await runSettlements(o.org.id, new Date("2026-04-10T03:00:00Z"))).toMatchObject({
      settled: 0,
      waitingForUsage: [
        { contractId: B.id, reference: "CR-B", month: "2026-03", usageThrough: "2026-03-24" },
        { contractId: B.id, reference: "CR-B", month: "2026-04", usageThrough: "2026-03-24" },
      ],
    });

    // Mar 25–31: 100M/day → B 700M (March 1.6B of 2.1B: 500M forfeited). Apr 1–9: 80M/day → 720M of 900M (180M
    // forfeited). Apr 10–12: after B's window. Had settled A been left out, B would have taken Mar 11–17 too.
    await importCsv(o, "april.csv", usageCsv([
      ["2026-03-25", "2026-03-31", [["Search", "gpt-4.1-mini", 70_000_000, 30_000_000]]],
      ["2026-04-01", "2026-04-09", [["Search", "gpt-4.1-mini", 50_000_000, 30_000_000]]],
      ["2026-04-10", "2026-04-12", [["Support", "gpt-4.1", 400_000_000, 100_000_000]]],
    ]));
    expect(await runSettlements(o.org.id, new Date("2026-04-13T03:00:00Z"))).toEqual({ asOf: "2026-04-13", settled: 2, delivering: 0, completed: 1, waitingForSpot: [], waitingForUsage: [] });
    expect(await statusOf(B.id)).toBe("SETTLED");

    const rows = await prisma.settlement.findMany({ where: { organizationId: o.org.id }, include: { contract: { select: { reference: true } } }, orderBy: [{ contract: { reference: "asc" } }, { periodMonth: "asc" }] });
    expect(rows.map((r) => [r.contract.reference, iso(r.periodMonth), r.quantityTokens, r.creditsUsedTokens, r.creditsForfeitedTokens, r.avgSpotUsdPerMTokens, r.amountUsd.toFixed(6)])).toEqual([
      ["CR-A", "2026-03-01", 2_000_000_000n, 2_000_000_000n, 0n, null, "5000.000000"],
      ["CR-B", "2026-03-01", 2_100_000_000n, 1_600_000_000n, 500_000_000n, null, "4000.000000"],
      ["CR-B", "2026-04-01", 900_000_000n, 720_000_000n, 180_000_000n, null, "1800.000000"],
    ]);
    expect((await eventsOf(B.id)).map((e) => e.type)).toEqual(["CREATED", "DELIVERY_STARTED", "PERIOD_SETTLED", "PERIOD_SETTLED", "SETTLED"]);

    const again = await runSettlements(o.org.id, new Date("2026-04-13T03:00:00Z"));
    expect(again).toMatchObject({ settled: 0, delivering: 0, completed: 0 });
    expect(await prisma.settlement.count({ where: { organizationId: o.org.id } })).toBe(3);

    const statement = await settlementStatement(o.ctx("CFO"), B.id);
    expect(statement.total).toEqual({ quantityTokens: "3000000000", amountUsd: "5800.000000", creditsUsedTokens: "2320000000", creditsForfeitedTokens: "680000000" });
    expect(statement.rows[1]).toMatchObject({ month: "2026-04", creditsUsedTokens: "720000000", creditsForfeitedTokens: "180000000", avgSpotUsdPerMTokens: null, strikeUsdPerMTokens: "2.500000" });
  });
});
