import { beforeAll, describe, expect, it, vi } from "vitest";
import { prisma } from "@/lib/db/client";
import { capacityView, contractDelivery } from "@/lib/services/hedging/capacity";
import { dashboardAlerts } from "@/lib/services/hedging/dashboard";
import { clearReadCache } from "@/lib/services/read-cache";
import { bumpUsageVersion, rollupUsage } from "@/lib/services/usage-rollup";
import * as capacityRoute from "@/app/api/v1/capacity/route";
import * as deliveryRoute from "@/app/api/v1/contracts/[id]/delivery/route";
import { makeOrg, type TestOrg } from "./fixtures";
import { call, signInAs } from "./route";
import type { ContractStatus } from "@/lib/generated/prisma/enums";

vi.mock("next-auth", async (o) => ({ ...(await o<object>()), getServerSession: async () => (await import("./route")).session.current }));
vi.mock("@/lib/jobs/queue", async (o) => ({ ...(await o<object>()), enqueue: async () => "job-1", enqueueFollowUp: async () => undefined }));

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const addDays = (d: Date, n: number) => new Date(d.getTime() + n * 86_400_000);
const AS_OF = day("2026-03-01");

let o: TestOrg;
let other: TestOrg;
let smallClassId: string;
const c = {} as Record<"a" | "b" | "cxl", { id: string }>;

/** Usage rows as the importer stores them: raw rows (hourly or daily) plus their day totals. */
async function usage(seriesId: number, rows: { at: Date; tokens: bigint; requests?: bigint }[]) {
  // stamped with an import of the org, as every stored row is (other suites check no row lacks one)
  const imp = await prisma.import.create({ data: { organizationId: o.org.id, kind: "USAGE", fileName: `capacity-${seriesId}.csv`, fileHash: `capacity-${seriesId}`, format: "tokenhedge", status: "COMPLETED", rowsAccepted: rows.length } });
  const byDay = new Map<string, { tokens: bigint; requests: bigint; rows: number }>();
  for (const r of rows) {
    await prisma.$executeRaw`INSERT INTO "UsageRecord" ("seriesId", "periodStart", "inputTokens", "outputTokens", "cachedInputTokens", requests, "importSeq")
      VALUES (${seriesId}, ${r.at}, ${r.tokens}, 0, 0, ${r.requests ?? 0n}, ${imp.seq})`;
    const k = r.at.toISOString().slice(0, 10);
    const d = byDay.get(k) ?? { tokens: 0n, requests: 0n, rows: 0 };
    byDay.set(k, { tokens: d.tokens + r.tokens, requests: d.requests + (r.requests ?? 0n), rows: d.rows + 1 });
  }
  for (const [k, d] of byDay)
    await prisma.$executeRaw`INSERT INTO "UsageDaily" ("seriesId", day, "inputTokens", "outputTokens", "cachedInputTokens", requests, rows, "costRows")
      VALUES (${seriesId}, ${k}::date, ${d.tokens}, 0, 0, ${d.requests}, ${d.rows}, 0)`;
  // the series' extent, as the importer keeps it
  await prisma.$executeRaw`UPDATE "UsageSeries" SET "firstPeriod" = (SELECT min("periodStart") FROM "UsageRecord" WHERE "seriesId" = ${seriesId}),
    "lastPeriod" = (SELECT max("periodStart") FROM "UsageRecord" WHERE "seriesId" = ${seriesId}) WHERE id = ${seriesId}`;
}

async function contract(reference: string, classId: string, windowStart: string, windowEnd: string, tpm: bigint | null, status: ContractStatus = "BOOKED", bookedAt = "2026-02-01T10:00:00Z") {
  const cp = await prisma.counterparty.findFirstOrThrow({ where: { organizationId: o.org.id } });
  const product = await prisma.contractProduct.create({
    data: { organizationId: o.org.id, providerId: o.provider.id, modelClassId: classId, quantityTokens: 1_000_000_000n, windowStart: day(windowStart), windowEnd: day(windowEnd), strikeUsdPerMTokens: "2.5", settlement: "FINANCIAL", reservedTokensPerMinute: tpm },
  });
  return prisma.contract.create({
    data: { organizationId: o.org.id, reference, productId: product.id, counterpartyId: cp.id, status, substitutionRule: "SUCCESSOR_SAME_STRIKE", bookedByName: "Pat", bookedAt: new Date(bookedAt), idempotencyKey: reference, requestHash: reference },
  });
}

beforeAll(async () => {
  o = await makeOrg("cap");
  other = await makeOrg("cap-other");
  await prisma.counterparty.create({ data: { organizationId: o.org.id, name: "Desk", rating: "A", limitUsd: "100000000" } });
  // General chat, hourly, two teams' series: 02-20 … 02-27 busiest hour 600,000 (10:00) + 300,000 at 11:00 (team B);
  // 02-28 600,000 at 10:00 and 1,200,000 at 14:00. Daily peaks: 8 × 600,000 and 1,200,000 → P90 (9th of 9)
  // 1,200,000 an hour = 20,000 per minute. History 9,000,000 tokens over 9 days = 1,000,000 a day.
  const hA = await prisma.usageSeries.create({ data: { organizationId: o.org.id, teamId: o.teamA.id, modelId: o.gpt.id, granularity: "HOUR" } });
  const hB = await prisma.usageSeries.create({ data: { organizationId: o.org.id, teamId: o.teamB.id, modelId: o.mini.id, granularity: "HOUR" } });
  const aRows = [];
  const bRows = [];
  for (let d = day("2026-02-20"); d <= day("2026-02-28"); d = addDays(d, 1)) {
    aRows.push({ at: new Date(d.getTime() + 10 * 3_600_000), tokens: 600_000n, requests: 60n });
    if (d < day("2026-02-28")) bRows.push({ at: new Date(d.getTime() + 11 * 3_600_000), tokens: 300_000n, requests: 30n });
  }
  aRows.push({ at: new Date(day("2026-02-28").getTime() + 14 * 3_600_000), tokens: 1_200_000n, requests: 100n });
  // March (after the as-of day of the coverage; delivered against reservations): 03-01 30M at 10:00 and 10M at
  // 11:00, 03-02 10M at 10:00, nothing on 03-03
  aRows.push({ at: new Date(day("2026-03-01").getTime() + 10 * 3_600_000), tokens: 30_000_000n, requests: 3000n });
  aRows.push({ at: new Date(day("2026-03-01").getTime() + 11 * 3_600_000), tokens: 10_000_000n, requests: 1000n });
  aRows.push({ at: new Date(day("2026-03-02").getTime() + 10 * 3_600_000), tokens: 10_000_000n, requests: 1000n });
  await usage(hA.id, aRows);
  await usage(hB.id, bRows);
  // Small fast: daily only; 02-27 1,440,000 and 02-28 2,880,000 → P90 (2nd of 2) 2,880,000 / 1440 = 2,000 per minute
  const small = await prisma.modelClass.create({ data: { organizationId: o.org.id, key: "small-fast", name: "Small fast" } });
  smallClassId = small.id;
  const haiku = await prisma.model.create({ data: { organizationId: o.org.id, providerId: o.provider.id, modelClassId: small.id, name: "tiny" } });
  const dS = await prisma.usageSeries.create({ data: { organizationId: o.org.id, teamId: o.teamA.id, modelId: haiku.id, granularity: "DAY" } });
  await usage(dS.id, [{ at: day("2026-02-27"), tokens: 1_440_000n }, { at: day("2026-02-28"), tokens: 2_880_000n }]);
  // General chat forecast of 02-28: March 1.5M a day (growth 1.5), April 1M a day (growth 1); nothing after
  const f = await prisma.forecast.create({ data: { organizationId: o.org.id, modelClassId: o.cls.id, asOf: day("2026-02-28"), horizonDays: 61, method: "test", params: {}, metrics: {} } });
  const points = [];
  for (let d = day("2026-03-01"); d <= day("2026-04-30"); d = addDays(d, 1)) {
    const march = d < day("2026-04-01");
    points.push({ forecastId: f.id, date: d, metric: "INPUT", p10: 0n, p50: 1_000_000n, p90: 0n }, { forecastId: f.id, date: d, metric: "OUTPUT", p10: 0n, p50: march ? 500_000n : 0n, p90: 0n });
  }
  await prisma.forecastPoint.createMany({ data: points });
  // reservations: A 25,000/min Mar–Apr, B 10,000/min from Mar 16 to May; a cancelled one never counts
  c.a = await contract("R-A", o.cls.id, "2026-03-01", "2026-04-30", 25_000n, "BOOKED", "2026-02-01T10:00:00Z");
  c.b = await contract("R-B", o.cls.id, "2026-03-16", "2026-05-31", 10_000n, "BOOKED", "2026-02-02T10:00:00Z");
  c.cxl = await contract("R-CXL", o.cls.id, "2026-03-01", "2027-02-28", 9_000_000n, "CANCELLED");
  await contract("R-NONE", o.cls.id, "2026-03-01", "2026-03-31", null);
  // the read models, as the import path leaves them
  await rollupUsage(o.org.id);
});

describe("capacity coverage", () => {
  it("forecast peak from the busiest hour (or day) grown by the forecast, against reserved throughput", async () => {
    const v = await capacityView(o.ctx("PROCUREMENT"), AS_OF);
    expect(v.months).toHaveLength(12);
    expect(v.months[0]).toBe("2026-03");
    const gc = v.classes.find((x) => x.classId === o.cls.id)!;
    expect(gc).toMatchObject({ granularity: "HOUR", forecastAsOf: "2026-02-28", history: { from: "2026-02-20", to: "2026-02-28", days: 9, p90PeriodTokens: "1200000", peakTokensPerMinute: "20000" } });
    const row = (m: string) => {
      const x = gc.months.find((y) => y.month === m)!;
      return [x.growth, x.forecastPeakTokensPerMinute, x.reservedTokensPerMinute, x.shortfallTokensPerMinute, x.status];
    };
    // March: 1,200,000 × 1.5 / 60 = 30,000 vs 25,000 held on every day (B only from the 16th) → short 5,000
    expect(row("2026-03")).toEqual(["1.5000", "30000", "25000", "5000", "SHORT"]);
    expect(row("2026-04")).toEqual(["1.0000", "20000", "35000", "0", "COVERED"]);
    // no forecast after April: held flat at 20,000; May has B's 10,000 only; nothing reserves June on
    expect(row("2026-05")).toEqual([null, "20000", "10000", "10000", "SHORT"]);
    expect(row("2026-06")).toEqual([null, "20000", "0", "20000", "UNRESERVED"]);
    expect(gc.months[0].contracts.map((x) => [x.reference, x.wholeMonth])).toEqual([["R-A", true], ["R-B", false]]);
    const small = v.classes.find((x) => x.classId === smallClassId)!;
    expect(small).toMatchObject({ granularity: "DAY", history: { p90PeriodTokens: "2880000", peakTokensPerMinute: "2000" } });
    // read from the class × day read model; while a repricing is pending, from the daily rows: the same view
    await bumpUsageVersion(o.org.id);
    clearReadCache();
    expect((await capacityView(o.ctx("PROCUREMENT"), AS_OF)).classes).toEqual(v.classes);
    await rollupUsage(o.org.id);
    clearReadCache();
    expect(small.granularityNote).toMatch(/daily/);
    // no reservation in the class at all: shown, not alerted
    expect(small.months.every((m) => m.status === "UNRESERVED" && m.forecastPeakTokensPerMinute === "2000")).toBe(true);
  });

  it("alerts on the procurement list and the CFO dashboard when reserved capacity is below the forecast peak", async () => {
    clearReadCache();
    for (const role of ["CFO", "PROCUREMENT"] as const) {
      const alerts = await dashboardAlerts(o.ctx(role), AS_OF);
      const cap = alerts.filter((a) => a.kind === "capacity");
      expect(cap).toHaveLength(1);
      expect(cap[0]).toMatchObject({ id: `capacity-${o.cls.id}`, severity: "high", href: "/procurement#capacity" });
      expect(cap[0].title).toBe("General chat: reserved capacity below the forecast peak in 2 months");
      expect(cap[0].detail).toBe("2026-03: 25K reserved vs 30K forecast peak tokens/min; 2026-05: 10K reserved vs 20K. Peak: P90 of the busiest hour, 2026-02-20 to 2026-02-28, grown by the demand forecast.");
    }
  });

  it("GET /api/v1/capacity: procurement, CFO and admin read it; a team lead gets 403; another org sees only its own", async () => {
    for (const role of ["PROCUREMENT", "CFO", "ADMIN"] as const) {
      signInAs(o.users[role].id, o.org.id);
      const r = await call(capacityRoute.GET, "/api/v1/capacity?asOf=2026-03-01");
      expect(r.status).toBe(200);
      expect(r.json.classes.find((x: { classId: string }) => x.classId === o.cls.id).months[0]).toMatchObject({ month: "2026-03", forecastPeakTokensPerMinute: "30000", reservedTokensPerMinute: "25000", status: "SHORT" });
    }
    signInAs(o.users.TEAM_LEAD.id, o.org.id);
    expect((await call(capacityRoute.GET, "/api/v1/capacity")).status).toBe(403);
    signInAs(o.users.CFO.id, o.org.id);
    const bad = await call(capacityRoute.GET, "/api/v1/capacity?asOf=2026-02-30");
    expect(bad.status).toBe(422);
    expect(bad.json.error.issues[0].path).toBe("query.asOf");
    signInAs(other.users.CFO.id, other.org.id);
    const theirs = await call(capacityRoute.GET, "/api/v1/capacity?asOf=2026-03-01");
    expect(theirs.status).toBe(200);
    expect(theirs.json.classes.every((x: { history: unknown; months: { reservedTokensPerMinute: string }[] }) => x.history === null && x.months.every((m) => m.reservedTokensPerMinute === "0"))).toBe(true);
  });
});

describe("delivered vs committed", () => {
  it("reserved volume per month against the usage the reservation carried, with requests and the busiest hour", async () => {
    // A: 25,000/min = 36,000,000 a day; 03-01 40M → 36M, 03-02 10M, 03-03 none → 46M of 108M (42.59%)
    const r = await contractDelivery(o.ctx("PROCUREMENT"), c.a.id, day("2026-03-04"));
    expect(r).toMatchObject({ reference: "R-A", reservedTokensPerMinute: "25000", granularity: "HOUR", sharedWith: ["R-B"] });
    expect(r.months).toEqual([
      { month: "2026-03", days: 3, reservedTokens: "108000000", deliveredTokens: "46000000", unusedTokens: "62000000", utilisationPct: "42.59", classUsageTokens: "50000000", classRequests: "5000", peakHourTokensPerMinute: "500000" },
    ]);
    expect(r.unavailable.join(" ")).toMatch(/latency/);
    // B starts on the 16th: nothing delivered yet
    expect((await contractDelivery(o.ctx("PROCUREMENT"), c.b.id, day("2026-03-04"))).months).toEqual([]);
    // no reservation: nothing to compare, said so
    const none = await prisma.contract.findFirstOrThrow({ where: { organizationId: o.org.id, reference: "R-NONE" } });
    expect((await contractDelivery(o.ctx("PROCUREMENT"), none.id, day("2026-03-04"))).note).toMatch(/reserves no throughput/);
  });

  it("the route: team lead 403, another org 404", async () => {
    signInAs(o.users.CFO.id, o.org.id);
    const ok = await call(deliveryRoute.GET, "/x?asOf=2026-03-04", { params: { id: c.a.id } });
    expect(ok.status).toBe(200);
    expect(ok.json.months[0].deliveredTokens).toBe("46000000");
    signInAs(o.users.TEAM_LEAD.id, o.org.id);
    expect((await call(deliveryRoute.GET, "/x", { params: { id: c.a.id } })).status).toBe(403);
    signInAs(other.users.CFO.id, other.org.id);
    expect((await call(deliveryRoute.GET, "/x", { params: { id: c.a.id } })).status).toBe(404);
  });
});
