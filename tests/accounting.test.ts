import { beforeAll, describe, expect, it, vi } from "vitest";
import Decimal from "decimal.js";
import Papa from "papaparse";
import { prisma } from "@/lib/db/client";
import { designateHedge } from "@/lib/services/hedging/accounting";
import { portfolioMarks } from "@/lib/services/hedging/marks";
import { dashboardAlerts } from "@/lib/services/hedging/dashboard";
import { clearReadCache } from "@/lib/services/read-cache";
import * as designationRoute from "@/app/api/v1/contracts/[id]/designation/route";
import * as registerRoute from "@/app/api/v1/contracts/register/route";
import { makeOrg, type TestOrg } from "./fixtures";
import { call, signInAs } from "./route";
import type { ContractStatus } from "@/lib/generated/prisma/enums";

vi.mock("next-auth", async (o) => ({ ...(await o<object>()), getServerSession: async () => (await import("./route")).session.current }));
vi.mock("@/lib/jobs/queue", async (o) => ({ ...(await o<object>()), enqueue: async () => "job-1", enqueueFollowUp: async () => undefined }));

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const iso = (d: Date) => d.toISOString().slice(0, 10);
const addDays = (d: Date, n: number) => new Date(d.getTime() + n * 86_400_000);
const today = day(iso(new Date()));
const next = { start: new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + 1, 1)), end: new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + 2, 0)) };
const OBJECTIVE = "Fix the price of next quarter's general-chat usage to keep the AI budget certain";

let o: TestOrg;
let other: TestOrg;
let cpId: string;
const c = {} as Record<"hedge" | "future" | "cancelled", { id: string; reference: string }>;

async function book(reference: string, quantityTokens: bigint, windowStart: Date, windowEnd: Date, status: ContractStatus = "BOOKED") {
  const product = await prisma.contractProduct.create({
    data: { organizationId: o.org.id, providerId: o.provider.id, modelClassId: o.cls.id, quantityTokens, windowStart, windowEnd, strikeUsdPerMTokens: "2.5", settlement: "FINANCIAL" },
  });
  const k = await prisma.contract.create({
    data: {
      organizationId: o.org.id, reference, productId: product.id, counterpartyId: cpId, status, substitutionRule: "SUCCESSOR_SAME_STRIKE",
      bookedById: o.users.PROCUREMENT.id, bookedByName: "Pat Procurement", bookedAt: new Date("2026-09-01T10:00:00Z"), idempotencyKey: reference, requestHash: reference,
    },
  });
  await prisma.contractEvent.create({ data: { organizationId: o.org.id, contractId: k.id, actorId: o.users.PROCUREMENT.id, actorName: "Pat Procurement", type: "BOOKED", before: { status: "DRAFT" }, after: { status: "BOOKED" }, at: new Date("2026-09-01T10:00:00Z") } });
  return k;
}

beforeAll(async () => {
  o = await makeOrg("acct");
  other = await makeOrg("acct-other");
  // a name a spreadsheet would run as a formula: the register must neutralise it
  cpId = (await prisma.counterparty.create({ data: { organizationId: o.org.id, name: "=HYPERLINK(\"x\")", rating: "A", limitUsd: "10000000" } })).id;
  // Oct: 31 days → 31M tokens; Nov: 30 days → 30M tokens (largest remainder of 61M over 61 days)
  c.hedge = await book("H-OCTNOV", 61_000_000n, day("2026-10-01"), day("2026-11-30"));
  c.future = await book("H-NEXT", 1_000_000n * BigInt(next.end.getUTCDate()), next.start, next.end);
  await prisma.contractProduct.updateMany({
    where: { contract: { id: c.future.id } },
    data: { reservedTokensPerMinute: 250_000n, uptimeCommitmentPct: "99.95", latencyP95Ms: 1200, supportTier: "PREMIER", serviceCreditRule: { tiers: [{ metric: "UPTIME", belowPct: "99.95", creditPct: "10" }], monthlyCapPct: "10" } },
  });
  c.cancelled = await book("H-CXL", 1_000_000n * BigInt(next.end.getUTCDate()), next.start, next.end, "CANCELLED");
  // forwards: 3.0 for Oct, Nov, and next month; a later curve for designations today
  const months = (d: Date) => d.toISOString().slice(0, 7);
  for (const asOf of [day("2026-09-15"), addDays(today, -1)]) {
    const ms = [...new Set(["2026-10", "2026-11", months(next.start)])].filter((m) => m > months(asOf));
    await prisma.forwardCurve.create({
      data: {
        organizationId: o.org.id, modelClassId: o.cls.id, asOf, spotUsdPerMTokens: "2.9", params: {},
        points: { createMany: { data: ms.map((m) => ({ deliveryMonth: day(`${m}-01`), priceUsdPerMTokens: "3", kind: "QUOTED" as const, quoteCount: 4, stale: false, wide: false, thin: false })) } },
      },
    });
  }
  // class roll-up forecast: 1.5M tokens a day (P50) from Sep 15 through the end of next month
  const forecast = await prisma.forecast.create({ data: { organizationId: o.org.id, modelClassId: o.cls.id, asOf: day("2026-09-15"), horizonDays: 120, method: "test", params: {}, metrics: {} } });
  const points = [];
  for (let d = day("2026-09-15"); d <= next.end; d = addDays(d, 1)) {
    points.push({ forecastId: forecast.id, date: d, metric: "INPUT", p10: 0n, p50: 1_000_000n, p90: 0n }, { forecastId: forecast.id, date: d, metric: "OUTPUT", p10: 0n, p50: 500_000n, p90: 0n });
  }
  await prisma.forecastPoint.createMany({ data: points });
  // usage with reported cost at 3.3 per 1M: Oct 1M a day (31M, all hedged), Nov 0.7M a day (21M of 30M)
  const series = await prisma.usageSeries.create({ data: { organizationId: o.org.id, teamId: o.teamA.id, modelId: o.gpt.id, granularity: "DAY" } });
  for (let d = day("2026-10-01"); d <= day("2026-11-30"); d = addDays(d, 1)) {
    const tokens = d < day("2026-11-01") ? 1_000_000n : 700_000n;
    const cost = new Decimal(tokens.toString()).mul("3.3").div(1_000_000).toFixed(6);
    await prisma.$executeRaw`INSERT INTO "UsageDaily" ("seriesId", day, "inputTokens", "outputTokens", "cachedInputTokens", requests, "costUsd", rows, "costRows")
      VALUES (${series.id}, ${d}::date, ${tokens}, 0, 0, 1, ${cost}::numeric, 1, 1)`;
  }
});

describe("designation", () => {
  it("records the designation, its months and a DESIGNATED event in one go; the monthly dollar-offset table comes from settlements and usage", async () => {
    const r = await designateHedge(o.ctx("CFO"), c.hedge.id, { riskManagementObjective: OBJECTIVE }, new Date("2026-09-20T10:00:00Z"));
    expect(r.designation).toMatchObject({ hedgeType: "CASH_FLOW", effectivenessMethod: "DOLLAR_OFFSET", riskManagementObjective: OBJECTIVE, designatedByName: "CFO", designatedAt: "2026-09-20T10:00:00.000Z" });
    expect(r.designation.prospective.passed).toBe(true);
    expect(r.designation.months).toEqual([
      { month: "2026-10", hedgedTokens: "31000000", forwardUsdPerMTokens: "3.000000" },
      { month: "2026-11", hedgedTokens: "30000000", forwardUsdPerMTokens: "3.000000" },
    ]);
    expect(r.effectiveness).toEqual([]);
    expect(r.pending.map((p) => p.month)).toEqual(["2026-10", "2026-11"]);
    const events = await prisma.contractEvent.findMany({ where: { contractId: c.hedge.id, type: "DESIGNATED" } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorName: "CFO", comment: OBJECTIVE, after: { status: "BOOKED", hedgeType: "CASH_FLOW", hedgedMonths: ["2026-10", "2026-11"] } });
    expect(await prisma.auditEvent.count({ where: { organizationId: o.org.id, action: "hedge.designate", entityId: c.hedge.id } })).toBe(1);

    // both months settle at an average spot of 3.3
    for (const [m, q] of [["2026-10", 31_000_000n], ["2026-11", 30_000_000n]] as const)
      await prisma.settlement.create({ data: { organizationId: o.org.id, contractId: c.hedge.id, periodMonth: day(`${m}-01`), quantityTokens: q, avgSpotUsdPerMTokens: "3.3", amountUsd: new Decimal("0.8").mul(q.toString()).div(1e6).toFixed(6) } });
    signInAs(o.users.CFO.id, o.org.id);
    const read = await call(designationRoute.GET, "/x", { params: { id: c.hedge.id } });
    expect(read.status).toBe(200);
    const [oct, nov] = read.json.effectiveness;
    // Oct: ΔC = (3.3 − 3) × 31 = 9.30, ΔH = (3.3 − 3) × 31 = 9.30 → 100%
    expect(oct).toMatchObject({ month: "2026-10", usageTokens: "31000000", contractChangeUsd: "9.300000", hedgedItemChangeUsd: "9.300000", ratioPct: "100.00", effective: true, realisedPriceUsdPerMTokens: "3.300000" });
    // Nov: ΔC = 0.3 × 30 = 9.00, ΔH = 0.3 × 21 = 6.30 → 142.86%, volume shortfall 0.3 × 9 = 2.70
    expect(nov).toMatchObject({ month: "2026-11", usageTokens: "21000000", contractChangeUsd: "9.000000", hedgedItemChangeUsd: "6.300000", ratioPct: "142.86", effective: false });
    expect(nov.sources).toEqual([expect.objectContaining({ cause: "VOLUME_SHORTFALL", amountUsd: "2.700000" })]);
    expect(nov.explanation).toMatch(/volume shortfall 2\.70 USD/);
    // cumulative: ΔC 18.30, ΔH 15.60 → reserve 15.60, ineffectiveness 2.70
    expect(nov.cumulative).toMatchObject({ contractChangeUsd: "18.300000", hedgedItemChangeUsd: "15.600000", reserveUsd: "15.600000", ineffectivenessUsd: "2.700000" });
    expect(read.json.summary).toMatchObject({ monthsTested: 2, monthsFailed: 1 });
    // the recorded designation cannot be rewritten or removed, whoever asks (database trigger)
    const d = await prisma.hedgeDesignation.findUniqueOrThrow({ where: { contractId: c.hedge.id } });
    await expect(prisma.hedgeDesignation.update({ where: { id: d.id }, data: { riskManagementObjective: "changed afterwards" } })).rejects.toThrow(/immutable/);
    await expect(prisma.hedgeDesignationMonth.updateMany({ where: { designationId: d.id }, data: { hedgedTokens: 1n } })).rejects.toThrow(/immutable/);
    await expect(prisma.hedgeDesignation.delete({ where: { id: d.id } })).rejects.toThrow(/immutable/);

    // the failed month is an alert for the CFO, with its cause and a link to the memo; not for procurement
    clearReadCache();
    const alerts = await dashboardAlerts(o.ctx("CFO"), new Date("2026-12-05T10:00:00Z"));
    const failed = alerts.filter((a) => a.kind === "effectiveness");
    expect(failed).toEqual([
      expect.objectContaining({ id: `effectiveness-${c.hedge.id}-2026-11`, severity: "high", title: "H-OCTNOV: hedge not effective in 2026-11 (142.86%)", href: `/contracts/${c.hedge.id}/designation` }),
    ]);
    expect(failed[0].detail).toMatch(/outside 80%–125%.*volume shortfall 2\.70 USD/);
    expect((await dashboardAlerts(o.ctx("PROCUREMENT"), new Date("2026-12-05T10:00:00Z"))).some((a) => a.kind === "effectiveness")).toBe(false);
  });

  it("designating twice is a 409; a cancelled contract is a 409; through the route a CFO designates today", async () => {
    signInAs(o.users.CFO.id, o.org.id);
    const post = (id: string) => call(designationRoute.POST, "/x", { method: "POST", body: { riskManagementObjective: OBJECTIVE }, params: { id } });
    expect((await post(c.hedge.id)).status).toBe(409);
    const first = await post(c.future.id);
    expect(first.status, JSON.stringify(first.json)).toBe(201);
    expect(first.json.designation.months).toHaveLength(1);
    const again = await post(c.future.id);
    expect(again.status).toBe(409);
    expect(again.json.error.message).toMatch(/already designated/);
    expect(await prisma.hedgeDesignation.count({ where: { contractId: c.future.id } })).toBe(1);
    expect(await prisma.contractEvent.count({ where: { contractId: c.future.id, type: "DESIGNATED" } })).toBe(1);
    expect((await post(c.cancelled.id)).status).toBe(409);
    const short = await call(designationRoute.POST, "/x", { method: "POST", body: { riskManagementObjective: "budget" }, params: { id: c.cancelled.id } });
    expect(short.status).toBe(422);
    expect(short.json.error.issues[0].path).toBe("body.riskManagementObjective");
  });

  it("refuses a designation whose quantity is above the forecast (prospective test) with the reason", async () => {
    const big = await book("H-BIG", 100_000_000n * BigInt(next.end.getUTCDate()), next.start, next.end);
    signInAs(o.users.CFO.id, o.org.id);
    const r = await call(designationRoute.POST, "/x", { method: "POST", body: { riskManagementObjective: OBJECTIVE }, params: { id: big.id } });
    expect(r.status).toBe(422);
    expect(r.json.error.message).toMatch(/prospective test fails: Contracted quantity above forecast P50/);
    expect(await prisma.hedgeDesignation.count({ where: { contractId: big.id } })).toBe(0);
  });

  it("team leads and procurement get 403 on designate; another org gets 404", async () => {
    for (const role of ["TEAM_LEAD", "PROCUREMENT"] as const) {
      signInAs(o.users[role].id, o.org.id);
      expect((await call(designationRoute.POST, "/x", { method: "POST", body: { riskManagementObjective: OBJECTIVE }, params: { id: c.cancelled.id } })).status).toBe(403);
      expect((await call(registerRoute.GET, "/api/v1/contracts/register")).status).toBe(403);
    }
    signInAs(other.users.CFO.id, other.org.id);
    expect((await call(designationRoute.GET, "/x", { params: { id: c.hedge.id } })).status).toBe(404);
    expect((await call(designationRoute.POST, "/x", { method: "POST", body: { riskManagementObjective: OBJECTIVE }, params: { id: c.cancelled.id } })).status).toBe(404);
  });
});

describe("trade register", () => {
  it("lists every contract and its events, neutralises formulas, and its TOTAL reconciles to the marks", async () => {
    const mark = (contractId: string, asOf: string, value: string) =>
      prisma.contractMark.create({ data: { organizationId: o.org.id, contractId, asOf: day(asOf), valueUsd: value, realisedUsd: "0", unrealisedUsd: value, periods: [] } });
    await mark(c.hedge.id, "2026-11-20", "999");
    await mark(c.hedge.id, "2026-11-27", "18.300001");
    await mark(c.future.id, "2026-11-27", "-4.25");
    signInAs(o.users.CFO.id, o.org.id);
    const r = await call(registerRoute.GET, "/api/v1/contracts/register?format=csv");
    expect(r.status).toBe(200);
    const rows = Papa.parse<Record<string, string>>(r.text, { header: true, skipEmptyLines: true }).data;
    const contracts = rows.filter((x) => x.record === "CONTRACT");
    expect(contracts.map((x) => x.contract_reference)).toEqual(["H-BIG", "H-CXL", "H-NEXT", "H-OCTNOV"]);
    const hedge = contracts.find((x) => x.contract_reference === "H-OCTNOV")!;
    expect(hedge).toMatchObject({ counterparty: "'=HYPERLINK(\"x\")", quantity_tokens: "61000000", strike_usd_per_mtok: "2.500000", notional_usd: "152.50", booked_by: "Pat Procurement", designated_by: "CFO", mark_as_of: "2026-11-27", mark_value_usd: "18.300001" });
    // product terms include the service terms (empty when none)
    expect(hedge).toMatchObject({ reserved_tokens_per_minute: "", uptime_commitment_pct: "", support_tier: "", service_credit_rule: "" });
    const withTerms = contracts.find((x) => x.contract_reference === "H-NEXT")!;
    expect(withTerms).toMatchObject({ reserved_tokens_per_minute: "250000", uptime_commitment_pct: "99.950", latency_p95_ms: "1200", support_tier: "PREMIER", service_credit_rule: "uptime below 99.95%: 10% of the month's contract value (deepest tier per metric; capped at 10% a month)" });
    expect(rows.filter((x) => x.record === "EVENT" && x.contract_reference === "H-OCTNOV").map((x) => x.event_type)).toEqual(["BOOKED", "DESIGNATED"]);
    const total = rows.find((x) => x.record === "TOTAL")!;
    const marks = await portfolioMarks(o.ctx("CFO"));
    expect(total.mark_value_usd).toBe(marks!.total.valueUsd);
    expect(total.mark_value_usd).toBe("14.050001");
    expect(total.mark_value_usd).toBe(contracts.reduce((s, x) => s.add(x.mark_value_usd || 0), new Decimal(0)).toFixed(6));
    expect(total.notional_usd).toBe(contracts.reduce((s, x) => s.add(x.notional_usd), new Decimal(0)).toFixed(2));
    const json = await call(registerRoute.GET, "/api/v1/contracts/register?format=json");
    expect(json.json).toMatchObject({ asOf: "2026-11-27", contracts: 4, totalMarkValueUsd: "14.050001" });
  });
});
