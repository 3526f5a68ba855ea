import { beforeAll, describe, expect, it, vi } from "vitest";
import { prisma } from "@/lib/db/client";
import { makeOrg, type TestOrg } from "./fixtures";
import { call, signInAs } from "./route";
import { runRecommendations } from "@/lib/services/hedging/recommendations";
import * as recsRoute from "@/app/api/v1/recommendations/route";
import * as evalRoute from "@/app/api/v1/recommendations/evaluate/route";
import * as policyRoute from "@/app/api/v1/hedge-policy/route";

vi.mock("next-auth", async (o) => ({ ...(await o<object>()), getServerSession: async () => (await import("./route")).session.current }));
const queued: string[] = [];
vi.mock("@/lib/jobs/queue", async (o) => ({
  ...(await o<object>()),
  enqueue: async (name: string, data: { orgId?: string }) => (queued.push(`${name}:${data.orgId}`), "job-1"),
  enqueueFollowUp: async (name: string, orgId: string) => void queued.push(`${name}:${orgId}`),
}));

const DAY = 86_400_000;
const now = new Date("2026-11-24T08:00:00Z");
let o: TestOrg;
let other: TestOrg;

/** A class forecast (org roll-up for the class) and a curve, written directly: the engine is tested elsewhere. */
async function seedMarketAndForecast(t: TestOrg) {
  const asOf = new Date("2026-11-24T00:00:00Z");
  const points = [];
  for (let d = new Date("2026-11-24T00:00:00Z"); d < new Date("2027-04-01T00:00:00Z"); d = new Date(d.getTime() + DAY)) {
    points.push({ date: d, metric: "INPUT" as const, p10: 800_000_000n, p50: 1_000_000_000n, p90: 1_300_000_000n });
    points.push({ date: d, metric: "OUTPUT" as const, p10: 160_000_000n, p50: 200_000_000n, p90: 260_000_000n });
  }
  await prisma.forecast.create({
    data: { organizationId: t.org.id, teamId: null, modelClassId: t.cls.id, asOf, horizonDays: points.length / 2, method: "test", params: { lastObservedDay: "2026-11-23" }, metrics: {}, points: { createMany: { data: points } } },
  });
  await prisma.forwardCurve.create({
    data: {
      organizationId: t.org.id, modelClassId: t.cls.id, asOf, spotUsdPerMTokens: "3", params: {},
      points: { createMany: { data: Array.from({ length: 12 }, (_, i) => ({ deliveryMonth: new Date(Date.UTC(2026, 11 + i, 1)), priceUsdPerMTokens: (3 - i * 0.05).toFixed(2), kind: "QUOTED" as const, quoteCount: i === 2 ? 1 : 4, stale: false, wide: false, thin: i === 2 })) } },
    },
  });
}

beforeAll(async () => {
  o = await makeOrg("rec");
  other = await makeOrg("rec-other");
  await seedMarketAndForecast(o);
});

describe("recommendation job", () => {
  it("stores one run with a recommendation per class × full delivery month, inside the policy band, in lots", async () => {
    const r = await runRecommendations(o.org.id, now, { paths: 2000 });
    expect(r.classes).toBe(1);
    const recs = await prisma.recommendation.findMany({ where: { runId: r.runId }, orderBy: { deliveryMonth: "asc" } });
    // December to March are fully covered by the forecast; November (the as-of month) is not a delivery month
    expect(recs.map((x) => x.deliveryMonth.toISOString().slice(0, 7))).toEqual(["2026-12", "2027-01", "2027-02", "2027-03"]);
    for (const x of recs) {
      expect(x.quantityTokens % 1_000_000_000n).toBe(0n);
      expect(x.contractedTokens).toBe(0n);
      expect(x.status).toBe("OPEN");
    }
    // months 1–3 of the default policy: 70–90% of P50 (allowing the lot rounding)
    const dec = recs[0];
    expect(Number(dec.coveragePct)).toBeGreaterThanOrEqual(70 - 100 * 1e9 / Number(dec.p50DemandTokens));
    expect(Number(dec.coveragePct)).toBeLessThanOrEqual(90);
    // P50 of December = 31 days × 1.2B
    expect(dec.p50DemandTokens).toBe(31n * 1_200_000_000n);
    // the thin curve point of February is carried as a warning on that month
    const feb = recs[2].rationale as { warnings: string[] };
    expect(feb.warnings.join(" ")).toMatch(/thin/);
  });

  it("is safe to run twice at once: one set of open recommendations, older runs superseded", async () => {
    await Promise.all([runRecommendations(o.org.id, now, { paths: 1000 }), runRecommendations(o.org.id, now, { paths: 1000 })]);
    expect(await prisma.recommendation.count({ where: { organizationId: o.org.id, status: "OPEN" } })).toBe(4);
    expect(await prisma.recommendation.count({ where: { organizationId: o.org.id, status: "SUPERSEDED" } })).toBe(8);
  });

  it("is deterministic for a day: the same inputs give the same quantities", async () => {
    const a = await runRecommendations(o.org.id, now, { paths: 1000 });
    const b = await runRecommendations(o.org.id, now, { paths: 1000 });
    const q = async (runId: string) => (await prisma.recommendation.findMany({ where: { runId }, orderBy: { deliveryMonth: "asc" } })).map((x) => x.quantityTokens);
    expect(await q(a.runId)).toEqual(await q(b.runId));
  });
});

describe("recommendations API", () => {
  it("procurement reads them; team leads get 403; another org sees none of them", async () => {
    signInAs(o.users.PROCUREMENT.id, o.org.id);
    const r = await call(recsRoute.GET, "/api/v1/recommendations");
    expect(r.status).toBe(200);
    expect(r.json.classes[0].months).toHaveLength(4);
    expect(Object.keys(r.json.classes[0].months[0].strategies).sort()).toEqual(["policyMinimum", "recommended", "unhedged"]);
    signInAs(o.users.TEAM_LEAD.id, o.org.id);
    expect((await call(recsRoute.GET, "/api/v1/recommendations")).status).toBe(403);
    signInAs(other.users.CFO.id, other.org.id);
    const foreign = await call(recsRoute.GET, `/api/v1/recommendations?modelClassId=${o.cls.id}`);
    expect(foreign.status).toBe(404);
    expect((await call(recsRoute.GET, "/api/v1/recommendations")).json).toEqual({ run: null, classes: [] });
  });

  it("evaluates a custom quantity beside the stored strategies; more hedge lowers P95 here", async () => {
    signInAs(o.users.PROCUREMENT.id, o.org.id);
    const months = ["2026-12", "2027-01", "2027-02", "2027-03"];
    const none = await call(evalRoute.POST, "/api/v1/recommendations/evaluate", { method: "POST", body: { modelClassId: o.cls.id, quantities: months.map((month) => ({ month, quantityTokens: "0" })) } });
    expect(none.status).toBe(200);
    // zero hedge is the unhedged strategy, on the same paths
    expect(none.json.total.custom.p95Usd).toBe(none.json.total.unhedged.p95Usd);
    const some = await call(evalRoute.POST, "/api/v1/recommendations/evaluate", { method: "POST", body: { modelClassId: o.cls.id, quantities: months.map((month) => ({ month, quantityTokens: "25000000000" })) } });
    expect(Number(some.json.total.custom.p95Usd)).toBeLessThan(Number(none.json.total.custom.p95Usd));
    expect(some.json.histogram.bins.length).toBeGreaterThan(0);
  });

  it("names the field on bad input", async () => {
    signInAs(o.users.PROCUREMENT.id, o.org.id);
    const badMonth = await call(evalRoute.POST, "/api/v1/recommendations/evaluate", { method: "POST", body: { modelClassId: o.cls.id, quantities: [{ month: "2031-01", quantityTokens: "1" }] } });
    expect(badMonth.status).toBe(422);
    expect(badMonth.json.error.issues[0].path).toBe("body.quantities.0.month");
    const neg = await call(evalRoute.POST, "/api/v1/recommendations/evaluate", { method: "POST", body: { modelClassId: o.cls.id, quantities: [{ month: "2026-12", quantityTokens: "-5" }] } });
    expect(neg.status).toBe(422);
    expect(neg.json.error.issues[0].path).toBe("body.quantities.0.quantityTokens");
    const foreign = await call(evalRoute.POST, "/api/v1/recommendations/evaluate", { method: "POST", body: { modelClassId: other.cls.id, quantities: [{ month: "2026-12", quantityTokens: "1" }] } });
    expect(foreign.status).toBe(422);
    expect(foreign.json.error.issues[0].path).toBe("body.modelClassId");
  });
});

describe("hedge policy", () => {
  const body = { bands: [{ fromMonth: 1, toMonth: 3, minPct: 60, maxPct: 80 }, { fromMonth: 4, toMonth: 12, minPct: 0, maxPct: 40 }], maxOverHedgeProb: 0.05, maxTenorMonths: 12, lotTokens: "500000000", preferredSettlement: "FINANCIAL", quarterlyBudgetUsd: "900000", approvalThresholdUsd: "100000" };
  it("the CFO and admins edit it (audited, triggers recommendations); procurement and team leads cannot", async () => {
    signInAs(o.users.PROCUREMENT.id, o.org.id);
    expect((await call(policyRoute.PUT, "/api/v1/hedge-policy", { method: "PUT", body })).status).toBe(403);
    signInAs(o.users.TEAM_LEAD.id, o.org.id);
    expect((await call(policyRoute.GET, "/api/v1/hedge-policy")).status).toBe(403);
    signInAs(o.users.CFO.id, o.org.id);
    const r = await call(policyRoute.PUT, "/api/v1/hedge-policy", { method: "PUT", body });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ maxOverHedgeProb: "0.05", lotTokens: "500000000", approvalThresholdUsd: "100000" });
    const ev = await prisma.auditEvent.findFirstOrThrow({ where: { organizationId: o.org.id, action: "hedgePolicy.created" } });
    expect((ev.data as { after: { lotTokens: string } }).after.lotTokens).toBe("500000000");
    expect(queued).toContain(`recommendations.run:${o.org.id}`);
    // the next run follows the new band: months 1–3 at most 80% of P50
    const run = await runRecommendations(o.org.id, now, { paths: 1000 });
    const recs = await prisma.recommendation.findMany({ where: { runId: run.runId } });
    for (const x of recs.slice(0, 3)) expect(Number(x.coveragePct)).toBeLessThanOrEqual(80);
  });

  it("rejects overlapping or incomplete bands and bad numbers, naming the field", async () => {
    signInAs(o.users.CFO.id, o.org.id);
    const overlap = await call(policyRoute.PUT, "/api/v1/hedge-policy", { method: "PUT", body: { ...body, bands: [{ fromMonth: 1, toMonth: 6, minPct: 0, maxPct: 50 }, { fromMonth: 4, toMonth: 12, minPct: 0, maxPct: 50 }] } });
    expect(overlap.status).toBe(422);
    expect(overlap.json.error.message).toMatch(/bands: bands overlap at month 4/);
    const inverted = await call(policyRoute.PUT, "/api/v1/hedge-policy", { method: "PUT", body: { ...body, bands: [{ fromMonth: 1, toMonth: 12, minPct: 90, maxPct: 50 }] } });
    expect(inverted.json.error.issues[0].path).toBe("body.bands.0.maxPct");
    const lot = await call(policyRoute.PUT, "/api/v1/hedge-policy", { method: "PUT", body: { ...body, lotTokens: "1.5" } });
    expect(lot.json.error.issues[0].path).toBe("body.lotTokens");
  });
});
