import Decimal from "decimal.js";
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { seedDemo } from "@/lib/demo/seed";
import { demoIndex } from "@/lib/demo/market";
import { readCurveMeta, rebuildCurves } from "@/lib/services/curves";
import { usageSeries } from "@/lib/services/usage";
import { addDays, DAY_MS } from "@/lib/domain/time";

/**
 * The CFO's check on the demo: last month's actual usage costed at the curve's spot ≈ its list cost. The spot is
 * the class's list-blended index, so each day's tokens × that day's spot should reproduce list spend up to the
 * difference between the day's mix and the 30-day mix behind the index (and a day's price cut moving into it).
 */
const today = new Date("2026-11-24T00:00:00Z");
const monthStart = new Date("2026-10-01T00:00:00Z");
const monthDays = 31;
let orgId: string;
let ctx: Ctx;

beforeAll(async () => {
  const seeded = await seedDemo({ today, slug: "demo-index", emailDomain: "demo-index.tokenhedge.test" });
  orgId = seeded.orgId;
  ctx = { orgId, orgName: "demo-index", isDemo: true, actorId: null, actorName: "test", role: "CFO", teamId: null };
  // the nightly job's curves for last month (the seed builds weekly history only)
  for (let d = 0; d < monthDays; d++) await rebuildCurves(orgId, addDays(monthStart, d));
}, 300_000);

describe("demo market around the list-blended index", () => {
  it("is generated around the same index the service computes: the list observation is the index, the curve spot equals it", async () => {
    const indexOn = demoIndex(today);
    const classes = await prisma.modelClass.findMany({ where: { organizationId: orgId } });
    for (const c of classes) {
      const curve = await prisma.forwardCurve.findFirstOrThrow({ where: { organizationId: orgId, modelClassId: c.id, asOf: today } });
      const generated = indexOn(c.key, Math.floor(today.getTime() / DAY_MS))!.priceUsdPerMTokens.toDecimalPlaces(6, Decimal.ROUND_HALF_EVEN).toFixed(6);
      expect(new Decimal(curve.spotUsdPerMTokens!.toString()).toFixed(6), c.key).toBe(generated);
      expect(readCurveMeta(curve.params).spot?.basis).toBe("LIST_INDEX");
    }
    const gc = classes.find((c) => c.key === "general-chat")!;
    const curve = await prisma.forwardCurve.findFirstOrThrow({ where: { organizationId: orgId, modelClassId: gc.id, asOf: today } });
    // the catalog's list prices on the org's General chat mix: about $5 per 1M
    expect(Number(curve.spotUsdPerMTokens)).toBeGreaterThan(4.8);
    expect(Number(curve.spotUsdPerMTokens)).toBeLessThan(5.2);
    // the demo's six one-off quotes ~55% below the market are screened out, and only they
    const meta = readCurveMeta(curve.params);
    expect(meta.excluded!.map((e) => e.source)).toEqual(Array(6).fill("Demo OTC desk"));
    expect(Number(meta.spot!.observedUsdPerMTokens)).toBeCloseTo(Number(curve.spotUsdPerMTokens), 1);
  });

  it("last month's usage at the curve's daily spot is within 5% of its list cost, per class and for the org", async () => {
    const classes = await prisma.modelClass.findMany({ where: { organizationId: orgId }, orderBy: { key: "asc" } });
    const f = { from: "2026-10-01", to: "2026-10-31" };
    let list = new Decimal(0);
    let atSpot = new Decimal(0);
    let atMonthEndSpot = new Decimal(0);
    const lines: string[] = [];
    for (const c of classes) {
      const [month] = await usageSeries(ctx, { ...f, modelClassId: c.id }, "month");
      const days = await usageSeries(ctx, { ...f, modelClassId: c.id }, "day");
      const curves = await prisma.forwardCurve.findMany({ where: { organizationId: orgId, modelClassId: c.id, asOf: { gte: monthStart, lt: addDays(monthStart, monthDays) } } });
      expect(curves).toHaveLength(monthDays);
      const spotOn = new Map(curves.map((cv) => [cv.asOf.toISOString().slice(0, 10), new Decimal(cv.spotUsdPerMTokens!.toString())]));
      let cost = new Decimal(0);
      let tokens = new Decimal(0);
      for (const d of days) {
        const t = new Decimal((d.inputTokens + d.outputTokens).toString());
        tokens = tokens.add(t);
        cost = cost.add(t.mul(spotOn.get(d.bucket.toISOString().slice(0, 10))!).div(1e6));
      }
      const classList = new Decimal(month.listCostUsd);
      const monthEnd = tokens.mul(spotOn.get("2026-10-31")!).div(1e6);
      list = list.add(classList);
      atSpot = atSpot.add(cost);
      atMonthEndSpot = atMonthEndSpot.add(monthEnd);
      const diff = cost.div(classList).minus(1).mul(100);
      lines.push(`${c.key}: list ${classList.toFixed(2)}, at daily spot ${cost.toFixed(2)} (${diff.toFixed(2)}%), at 31 Oct spot ${monthEnd.toFixed(2)} (${monthEnd.div(classList).minus(1).mul(100).toFixed(2)}%)`);
      expect(diff.abs().toNumber(), lines.at(-1)).toBeLessThan(5);
    }
    const diff = atSpot.div(list).minus(1).mul(100);
    lines.push(`org: list ${list.toFixed(2)}, at daily spot ${atSpot.toFixed(2)} (${diff.toFixed(2)}%), at 31 Oct spot ${atMonthEndSpot.toFixed(2)} (${atMonthEndSpot.div(list).minus(1).mul(100).toFixed(2)}%)`);
    console.log(`October 2026, demo org:\n${lines.join("\n")}`);
    expect(diff.abs().toNumber()).toBeLessThan(5);
  });
});
