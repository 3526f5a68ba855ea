import { Readable } from "node:stream";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { prisma } from "@/lib/db/client";
import { importUsage } from "@/lib/services/usage-import";
import { rollupUsage } from "@/lib/services/usage-rollup";
import * as chargebacksRoute from "@/app/api/v1/chargebacks/route";
import * as settingsRoute from "@/app/api/v1/org/settings/route";
import { makeOrg, type TestOrg } from "./fixtures";
import { call, signInAs } from "./route";
import type { ContractStatus, SettlementType } from "@/lib/generated/prisma/enums";

vi.mock("next-auth", async (o) => ({ ...(await o<object>()), getServerSession: async () => (await import("./route")).session.current }));
vi.mock("@/lib/jobs/queue", async (o) => ({ ...(await o<object>()), enqueue: async () => "job-1", enqueueFollowUp: async () => undefined, enqueueAfterImport: async () => undefined }));

const DAY = 86_400_000;
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const iso = (d: Date) => d.toISOString().slice(0, 10);

let o: TestOrg;
let other: TestOrg;
const get = (qs: string) => call(chargebacksRoute.GET, `/api/v1/chargebacks?${qs}`);

type Booking = { reference: string; settlement: SettlementType; quantityTokens: bigint; windowStart: string; windowEnd: string; strike: string; status: ContractStatus };
async function book(t: TestOrg, counterpartyId: string, b: Booking) {
  const product = await prisma.contractProduct.create({
    data: { organizationId: t.org.id, providerId: t.provider.id, modelClassId: t.cls.id, quantityTokens: b.quantityTokens, windowStart: day(b.windowStart), windowEnd: day(b.windowEnd), strikeUsdPerMTokens: b.strike, settlement: b.settlement },
  });
  return prisma.contract.create({
    data: {
      organizationId: t.org.id, reference: b.reference, productId: product.id, counterpartyId, status: b.status, substitutionRule: "MANUAL_REVIEW",
      bookedById: t.users.PROCUREMENT.id, bookedByName: "PROCUREMENT", bookedAt: new Date("2026-09-01T10:00:00Z"), idempotencyKey: b.reference, requestHash: b.reference,
    },
  });
}

beforeAll(async () => {
  o = await makeOrg("cb");
  other = await makeOrg("cb-other");
  // Support (team A): gpt-4.1, 0.8M in + 0.2M out every day of October; Search (team B): gpt-4.1-mini, 2M + 1M on Oct 20
  const lines = ["date,team,provider,model,input_tokens,output_tokens,cached_input_tokens,requests,cost_usd"];
  for (let d = day("2026-10-01"); d <= day("2026-10-31"); d = new Date(d.getTime() + DAY)) lines.push(`${iso(d)},Support,OpenAI,gpt-4.1,800000,200000,0,1,`);
  lines.push("2026-10-20,Search,OpenAI,gpt-4.1-mini,2000000,1000000,0,1,");
  const res = await importUsage(o.ctx("ADMIN"), { fileName: "october.csv", body: Readable.from([Buffer.from(lines.join("\n"))]), mode: "commit", onErrors: "reject" });
  expect(res.status).toBe("COMPLETED");
  // spot 10 from the curve of Sep 28, 12 from the curve of Oct 16
  for (const [asOf, spot] of [["2026-09-28", "10"], ["2026-10-16", "12"]])
    await prisma.forwardCurve.create({ data: { organizationId: o.org.id, modelClassId: o.cls.id, asOf: day(asOf), spotUsdPerMTokens: spot, params: {} } });
  const cp = await prisma.counterparty.create({ data: { organizationId: o.org.id, name: "Broker", rating: "A", limitUsd: "10000000" } });
  // settled October: the org received 24.50 (avg 12.45 vs strike 10 on 10M tokens)
  const settled = await book(o, cp.id, { reference: "TH-2026-00001", settlement: "FINANCIAL", quantityTokens: 10_000_000n, windowStart: "2026-10-01", windowEnd: "2026-10-31", strike: "10", status: "SETTLED" });
  await prisma.settlement.create({ data: { organizationId: o.org.id, contractId: settled.id, periodMonth: day("2026-10-01"), quantityTokens: 10_000_000n, avgSpotUsdPerMTokens: "12.45", amountUsd: "24.500000" } });
  // a cancelled contract's settlement never counts
  const cancelled = await book(o, cp.id, { reference: "TH-2026-00002", settlement: "FINANCIAL", quantityTokens: 10_000_000n, windowStart: "2026-10-01", windowEnd: "2026-10-31", strike: "1", status: "CANCELLED" });
  await prisma.settlement.create({ data: { organizationId: o.org.id, contractId: cancelled.id, periodMonth: day("2026-10-01"), quantityTokens: 10_000_000n, avgSpotUsdPerMTokens: "12.45", amountUsd: "1000.000000" } });
  // November is covered by a booked contract that has not settled: provisional
  await book(o, cp.id, { reference: "TH-2026-00003", settlement: "SERVICE_CREDITS", quantityTokens: 5_000_000n, windowStart: "2026-11-01", windowEnd: "2026-11-30", strike: "9", status: "BOOKED" });
  await prisma.team.update({ where: { id: o.teamB.id }, data: { costCenter: "=HYPERLINK(\"x\")" } });
  // what the job queued after a curve rebuild does: the monthly read model prices the spot benchmark with them
  await rollupUsage(o.org.id);
});

describe("GET /api/v1/chargebacks", () => {
  it("CFO: all teams side by side, reconciled to the org's cost; settlement gain shared pro rata to usage", async () => {
    signInAs(o.users.CFO.id, o.org.id);
    const r = await get("period=2026-10");
    expect(r.status).toBe(200);
    const s = r.json;
    expect(s).toMatchObject({ period: "2026-10", from: "2026-10-01", to: "2026-10-31", scope: "org", team: null, benchmark: "SPOT", allocation: "USAGE", usageThrough: "2026-10-31" });
    // Support: 15M × 10 + 16M × 12 = 342, −24.5 × 31/34 = −22.34; Search: 3M × 12 = 36, −2.16
    expect(s.teams.map((t: Record<string, string>) => [t.teamName, t.tokens, t.benchmarkUsd, t.hedgeUsd, t.chargeUsd])).toEqual([
      ["Search", "3000000", "36.00", "-2.16", "33.84"],
      ["Support", "31000000", "342.00", "-22.34", "319.66"],
    ]);
    expect(s.totals).toEqual({ tokens: "34000000", benchmarkUsd: "378.00", hedgeUsd: "-24.50", chargeUsd: "353.50" });
    expect(s.org).toEqual({ costUsd: "353.50", costExactUsd: "353.500000", unallocatedUsd: "0.00" });
    expect(s.months).toEqual([{ month: "2026-10", partial: false, hedged: true, pending: [], tokens: "34000000", benchmarkUsd: "378.00", hedgeUsd: "-24.50", chargeUsd: "353.50" }]);
    expect(s.classes[0].contracts.map((c: Record<string, string>) => [c.reference, c.resultUsd, c.basis, c.sharePct])).toEqual([["TH-2026-00001", "-24.500000", "USAGE", "100.00"]]);
    expect(s.trend).toHaveLength(12);
    expect(s.trend.at(-1)).toMatchObject({ month: "2026-10", chargeUsd: "353.50", benchmarkUsd: "378.00" });
    expect(s.trend[0]).toMatchObject({ month: "2025-11", chargeUsd: "0.00" });
  });

  it("a team lead gets their own statement and nothing of another team; asking for another team is a 403", async () => {
    signInAs(o.users.TEAM_LEAD.id, o.org.id);
    const r = await get("period=2026-10");
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ scope: "team", team: { id: o.teamA.id, name: "Support" }, org: null });
    expect(r.json.teams).toHaveLength(1);
    expect(r.json.totals).toEqual({ tokens: "31000000", benchmarkUsd: "342.00", hedgeUsd: "-22.34", chargeUsd: "319.66" });
    expect(r.json.models.map((m: Record<string, string>) => [m.model, m.tokens, m.benchmarkUsd])).toEqual([["gpt-4.1", "31000000", "342.00"]]);
    expect(r.json.classes[0]).toMatchObject({ name: "General chat", chargeUsd: "319.66", benchmarkRate: "11.032258", chargeRate: "10.311613" });
    expect(r.json.classes[0].contracts[0].sharePct).toBe("91.18");
    expect(r.text).not.toContain(o.teamB.id);
    expect(r.text).not.toContain("Search");
    expect(r.text).not.toContain("gpt-4.1-mini");
    expect((await get(`period=2026-10&teamId=${o.teamA.id}`)).status).toBe(200);
    const foreign = await get(`period=2026-10&teamId=${o.teamB.id}`);
    expect(foreign.status).toBe(403);
    expect(foreign.text).not.toContain("33.84");
    const csv = await get("period=2026-10&format=csv");
    expect(csv.text).not.toContain("Search");
    expect(csv.text.trim().split("\n")).toEqual([
      "period,month,team,cost_center,model_class,tokens,benchmark_usd,hedge_usd,charge_usd,status,benchmark,allocation",
      "2026-10,2026-10,Support,,General chat,31000000,342.00,-22.34,319.66,final,SPOT,USAGE",
      "2026-10,,Support,,TOTAL,31000000,342.00,-22.34,319.66,final,SPOT,USAGE",
    ]);
  });

  it("CFO opens one team's statement; another org's team is a 404 and another org sees none of ours", async () => {
    signInAs(o.users.CFO.id, o.org.id);
    const search = await get(`period=2026-10&teamId=${o.teamB.id}`);
    expect(search.json).toMatchObject({ scope: "team", totals: { chargeUsd: "33.84" } });
    expect(search.text).not.toContain("319.66");
    expect((await get(`period=2026-10&teamId=${other.teamA.id}`)).status).toBe(404);
    signInAs(other.users.CFO.id, other.org.id);
    const theirs = await get("period=2026-10");
    expect(theirs.json.totals).toEqual({ tokens: "0", benchmarkUsd: "0.00", hedgeUsd: "0.00", chargeUsd: "0.00" });
    expect(theirs.text).not.toContain(o.teamA.id);
    expect((await get(`period=2026-10&teamId=${o.teamA.id}`)).status).toBe(404);
    signInAs(other.users.TEAM_LEAD.id, other.org.id);
    expect((await get(`period=2026-10&teamId=${o.teamA.id}`)).status).toBe(403);
  });

  it("roles: admin and CFO see all teams, procurement may not; signed out is a 401", async () => {
    signInAs(o.users.ADMIN.id, o.org.id);
    expect((await get("period=2026-10")).json.teams).toHaveLength(2);
    signInAs(o.users.PROCUREMENT.id, o.org.id);
    expect((await get("period=2026-10")).status).toBe(403);
    (await import("./route")).signOut();
    expect((await get("period=2026-10")).status).toBe(401);
  });

  it("names the field of bad input", async () => {
    signInAs(o.users.CFO.id, o.org.id);
    for (const [qs, path] of [["period=2026-13", "query.period"], ["", "query.period"], ["period=2026-Q5", "query.period"], ["period=2026-10&format=xml", "query.format"], ["period=2026-10&team=x", "query"]]) {
      const r = await get(qs);
      expect(r.status, qs).toBe(422);
      expect(r.json.error.issues.map((i: { path: string }) => i.path), qs).toContain(path);
    }
  });

  it("a quarter: partial and provisional months are labelled; months without contracts are spot = hedged", async () => {
    signInAs(o.users.CFO.id, o.org.id);
    const q = (await get("period=2026-Q4")).json;
    expect(q.months.map((m: Record<string, unknown>) => [m.month, m.partial, m.hedged, m.pending])).toEqual([
      ["2026-10", false, true, []],
      ["2026-11", true, false, ["TH-2026-00003"]],
      ["2026-12", true, false, []],
    ]);
    expect(q.totals.chargeUsd).toBe("353.50");
    expect(q.notes).toContain("2026-11 is partial: usage through 2026-10-31; its charges will grow as usage arrives.");
    expect(q.notes.some((n: string) => n.startsWith("2026-11 is provisional: TH-2026-00003 covers it but has not settled yet"))).toBe(true);
    expect(q.notes).toContain("2026-12: no contract settled for this month, so the hedged charge equals the spot benchmark.");
    const sept = (await get("period=2026-09")).json;
    expect(sept.totals.chargeUsd).toBe("0.00");
  });

  it("CSV for the CFO: every team, the total equal to the org's cost, text cells neutralised", async () => {
    signInAs(o.users.CFO.id, o.org.id);
    const r = await call(chargebacksRoute.GET, "/api/v1/chargebacks?period=2026-10&format=csv");
    expect(r.status).toBe(200);
    expect(r.text.trim().split("\n")).toEqual([
      "period,month,team,cost_center,model_class,tokens,benchmark_usd,hedge_usd,charge_usd,status,benchmark,allocation",
      "2026-10,2026-10,Search,\"'=HYPERLINK(\"\"x\"\")\",General chat,3000000,36.00,-2.16,33.84,final,SPOT,USAGE",
      "2026-10,2026-10,Support,,General chat,31000000,342.00,-22.34,319.66,final,SPOT,USAGE",
      "2026-10,,TOTAL,,TOTAL,34000000,378.00,-24.50,353.50,final,SPOT,USAGE",
    ]);
  });

  it("the org settings choose the benchmark: list price instead of the curve's spot", async () => {
    signInAs(o.users.ADMIN.id, o.org.id);
    const bad = await call(settingsRoute.PATCH, "/api/v1/org/settings", { method: "PATCH", body: { chargebackBenchmark: "MID" } });
    expect(bad.status).toBe(422);
    expect(bad.json.error.issues[0].path).toBe("body.chargebackBenchmark");
    expect((await call(settingsRoute.PATCH, "/api/v1/org/settings", { method: "PATCH", body: { chargebackBenchmark: "LIST" } })).status).toBe(200);
    // Support: (0.8M × 2 + 0.2M × 8) × 31 = 99.20; Search: 2M × 0.4 + 1M × 1.6 = 2.40; the hedge shares are unchanged
    const r = (await get("period=2026-10")).json;
    expect(r.benchmark).toBe("LIST");
    expect(r.teams.map((t: Record<string, string>) => [t.teamName, t.benchmarkUsd, t.chargeUsd])).toEqual([["Search", "2.40", "0.24"], ["Support", "99.20", "76.86"]]);
    expect(r.org.costUsd).toBe("77.10");
    await call(settingsRoute.PATCH, "/api/v1/org/settings", { method: "PATCH", body: { chargebackBenchmark: "SPOT", chargebackAllocation: "FORECAST_AT_BOOKING" } });
    // no team forecast existed when TH-2026-00001 was booked: its result falls back to usage, and the statement says so
    const f = (await get("period=2026-10")).json;
    expect(f.allocation).toBe("FORECAST_AT_BOOKING");
    expect(f.totals.chargeUsd).toBe("353.50");
    expect(f.notes).toContain("2026-10, General chat: no team forecast existed when TH-2026-00001 was booked, so its result is shared pro rata to usage of the class in the month.");
    // forecasts made before the booking (Aug 31): Support 100 tokens a day in October, Search 300 → 1 : 3.
    // −24.50 / 4 = −6.125 → −6.12 (half-even), × 3 = −18.375 → −18.38; a later forecast does not count
    for (const [team, p50, createdAt] of [[o.teamA, 100n, "2026-08-31T12:00:00Z"], [o.teamB, 300n, "2026-08-31T12:00:00Z"], [o.teamA, 900_000n, "2026-09-02T12:00:00Z"]] as const) {
      const points = [];
      for (let d = day("2026-10-01"); d <= day("2026-10-31"); d = new Date(d.getTime() + DAY)) points.push({ date: d, metric: "INPUT", p10: p50, p50, p90: p50 });
      await prisma.forecast.create({
        data: { organizationId: o.org.id, teamId: team.id, modelClassId: o.cls.id, asOf: day(createdAt.slice(0, 10)), horizonDays: 92, method: "test", params: {}, metrics: {}, createdAt: new Date(createdAt), points: { createMany: { data: points } } },
      });
    }
    const byForecast = (await get("period=2026-10")).json;
    expect(byForecast.teams.map((t: Record<string, string>) => [t.teamName, t.hedgeUsd, t.chargeUsd])).toEqual([["Search", "-18.38", "17.62"], ["Support", "-6.12", "335.88"]]);
    expect(byForecast.org.costUsd).toBe("353.50");
    await call(settingsRoute.PATCH, "/api/v1/org/settings", { method: "PATCH", body: { chargebackAllocation: "USAGE" } });
  });
  it("prices from the monthly read model when it is current and from the daily rows otherwise: the same statement", async () => {
    signInAs(o.users.CFO.id, o.org.id);
    const periods = ["2026-10", "2026-Q4", "2026-09"];
    const statements = async () => Promise.all(periods.map(async (p) => (await get(`period=${p}`)).json));
    const strip = (xs: Record<string, unknown>[]) => xs.map(({ usageSource: _s, ...rest }) => rest);
    const fromModel = await statements();
    expect(fromModel.map((s) => s.usageSource)).toEqual(["read model", "read model", "read model"]);
    expect(fromModel[0].org.costUsd).toBe("353.50");
    // a curve rebuilt on Nov 5 changes spots from that day: October's statement (its trend ends in October) still
    // reads the model, the fourth quarter's falls back to the daily rows until the job re-prices November
    await prisma.organization.update({ where: { id: o.org.id }, data: { curvesChangedFrom: day("2026-11-05") } });
    const [oct, q4] = await statements();
    expect([oct.usageSource, q4.usageSource]).toEqual(["read model", "daily"]);
    expect(strip([q4])).toEqual(strip([fromModel[1]]));
    // usage behind (an import the model has not caught up with): every statement from the daily rows, equal
    await prisma.organization.update({ where: { id: o.org.id }, data: { usageVersion: { increment: 1 } } });
    const daily = await statements();
    expect(daily.map((s) => s.usageSource)).toEqual(["daily", "daily", "daily"]);
    expect(strip(daily)).toEqual(strip(fromModel));
    // both benchmarks: list price too
    signInAs(o.users.ADMIN.id, o.org.id);
    await call(settingsRoute.PATCH, "/api/v1/org/settings", { method: "PATCH", body: { chargebackBenchmark: "LIST" } });
    const listDaily = await statements();
    await rollupUsage(o.org.id);
    const listModel = await statements();
    expect(listModel.map((s) => s.usageSource)).toEqual(["read model", "read model", "read model"]);
    expect(strip(listModel)).toEqual(strip(listDaily));
    expect(listModel[0].totals.benchmarkUsd).toBe("101.60");
    await call(settingsRoute.PATCH, "/api/v1/org/settings", { method: "PATCH", body: { chargebackBenchmark: "SPOT" } });
  });

  it("a curve rebuild re-prices only the months from its day on; the job clears the mark", async () => {
    signInAs(o.users.CFO.id, o.org.id);
    const before = (await get("period=2026-10")).json;
    expect(before.usageSource).toBe("read model");
    // a curve of Oct 25 at spot 20 (what rebuildCurves writes, with its mark): Support's last 7 days re-priced
    const curve = await prisma.forwardCurve.create({ data: { organizationId: o.org.id, modelClassId: o.cls.id, asOf: day("2026-10-25"), spotUsdPerMTokens: "20", params: {} } });
    await prisma.organization.update({ where: { id: o.org.id }, data: { curvesChangedFrom: day("2026-10-25") } });
    const stale = (await get("period=2026-10")).json;
    expect(stale.usageSource).toBe("daily");
    // Support: 17 days at 12 → 24 days … : 15 × 10 + 9 × 12 + 7 × 20 = 398 per 1M tokens/day × 1M = 398.00
    expect(stale.teams.find((t: Record<string, string>) => t.teamName === "Support").benchmarkUsd).toBe("398.00");
    const job = await rollupUsage(o.org.id, { onlyIfBehind: true });
    expect(job).toMatchObject({ skipped: false, repricedFrom: "2026-10-01" });
    expect((await prisma.organization.findUniqueOrThrow({ where: { id: o.org.id } })).curvesChangedFrom).toBeNull();
    const fresh = (await get("period=2026-10")).json;
    expect(fresh.usageSource).toBe("read model");
    expect({ ...fresh, usageSource: "daily" }).toEqual(stale);
    expect((await rollupUsage(o.org.id, { onlyIfBehind: true })).skipped).toBe(true);
    await prisma.forwardCurve.delete({ where: { id: curve.id } });
    await prisma.organization.update({ where: { id: o.org.id }, data: { curvesChangedFrom: day("2026-10-25") } });
    await rollupUsage(o.org.id, { onlyIfBehind: true });
    expect((await get("period=2026-10")).json).toEqual(before);
  });
  it("rounds each team × model × month to the cent half-even in the read model as in the domain (ties)", async () => {
    // 1,250 tokens at spot 4 = 0.005 USD: half-even 0.00 (half-up would say 0.01); 3,750 tokens = 0.015 → 0.02
    const t = await makeOrg("cb-ties");
    const csv = ["date,team,provider,model,input_tokens,output_tokens,cached_input_tokens,requests,cost_usd", "2026-10-05,Support,OpenAI,gpt-4.1,1250,0,0,1,", "2026-10-05,Search,OpenAI,gpt-4.1,3000,750,0,1,"];
    expect((await importUsage(t.ctx("ADMIN"), { fileName: "ties.csv", body: Readable.from([Buffer.from(csv.join("\n"))]), mode: "commit", onErrors: "reject" })).status).toBe("COMPLETED");
    await prisma.forwardCurve.create({ data: { organizationId: t.org.id, modelClassId: t.cls.id, asOf: day("2026-10-01"), spotUsdPerMTokens: "4", params: {} } });
    await rollupUsage(t.org.id);
    signInAs(t.users.CFO.id, t.org.id);
    const model = (await get("period=2026-10")).json;
    expect(model.usageSource).toBe("read model");
    expect(model.teams.map((x: Record<string, string>) => [x.teamName, x.benchmarkUsd])).toEqual([["Search", "0.02"], ["Support", "0.00"]]);
    await prisma.organization.update({ where: { id: t.org.id }, data: { usageVersion: { increment: 1 } } });
    const daily = (await get("period=2026-10")).json;
    expect(daily.usageSource).toBe("daily");
    expect({ ...daily, usageSource: "read model" }).toEqual(model);
  });
  it("a month without a settlement is read per class; the org's and a team's trend are the same as priced per team", async () => {
    // September: Support 1M, Search 3M at spot 10, nothing settled; October: Support 2M, Search 2M, a settled contract
    const t = await makeOrg("cb-trend");
    const csv = ["date,team,provider,model,input_tokens,output_tokens,cached_input_tokens,requests,cost_usd",
      "2026-09-10,Support,OpenAI,gpt-4.1,800000,200000,0,1,", "2026-09-12,Search,OpenAI,gpt-4.1-mini,2000000,1000000,0,1,",
      "2026-10-05,Support,OpenAI,gpt-4.1,1500000,500000,0,1,", "2026-10-06,Search,OpenAI,gpt-4.1,2000000,0,0,1,"];
    expect((await importUsage(t.ctx("ADMIN"), { fileName: "trend.csv", body: Readable.from([Buffer.from(csv.join("\n"))]), mode: "commit", onErrors: "reject" })).status).toBe("COMPLETED");
    await prisma.forwardCurve.create({ data: { organizationId: t.org.id, modelClassId: t.cls.id, asOf: day("2026-09-01"), spotUsdPerMTokens: "10", params: {} } });
    const cp = await prisma.counterparty.create({ data: { organizationId: t.org.id, name: "Desk", rating: "A", limitUsd: "1000000" } });
    const c = await book(t, cp.id, { reference: "TH-2026-00009", settlement: "FINANCIAL", quantityTokens: 4_000_000n, windowStart: "2026-10-01", windowEnd: "2026-10-31", strike: "9", status: "SETTLED" });
    await prisma.settlement.create({ data: { organizationId: t.org.id, contractId: c.id, periodMonth: day("2026-10-01"), quantityTokens: 4_000_000n, avgSpotUsdPerMTokens: "10", amountUsd: "4.000000" } });
    await rollupUsage(t.org.id);
    const read = async () => {
      signInAs(t.users.CFO.id, t.org.id);
      const org = (await get("period=2026-10")).json;
      signInAs(t.users.TEAM_LEAD.id, t.org.id);
      return [org, (await get("period=2026-10")).json];
    };
    const model = await read();
    expect(model.map((x) => x.usageSource)).toEqual(["read model", "read model"]);
    const sept = (x: { trend: Record<string, string>[] }) => x.trend.find((m) => m.month === "2026-09");
    // the org: 1M × 10 + 3M × 10 = 40.00, nothing settled; Support alone: 10.00
    expect(sept(model[0])).toMatchObject({ tokens: "4000000", benchmarkUsd: "40.00", hedgeUsd: "0.00", chargeUsd: "40.00" });
    expect(sept(model[1])).toMatchObject({ tokens: "1000000", benchmarkUsd: "10.00", hedgeUsd: "0.00", chargeUsd: "10.00" });
    // October: the gain of 4.00 shared 2 : 2
    expect(model[1].totals).toEqual({ tokens: "2000000", benchmarkUsd: "20.00", hedgeUsd: "-2.00", chargeUsd: "18.00" });
    await prisma.organization.update({ where: { id: t.org.id }, data: { usageVersion: { increment: 1 } } });
    const daily = await read();
    expect(daily.map((x) => x.usageSource)).toEqual(["daily", "daily"]);
    expect(daily.map((x) => ({ ...x, usageSource: "read model" }))).toEqual(model);
  });
});
