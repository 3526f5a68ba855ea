import { Readable } from "node:stream";
import { beforeAll, describe, expect, it } from "vitest";
import { makeOrg, type TestOrg } from "./fixtures";
import { prisma } from "@/lib/db/client";
import { importUsage } from "@/lib/services/usage-import";
import { dailyTokens, planRange, usageBreakdown, usageSeries, usageTotals } from "@/lib/services/usage";
import { rollupIsCurrent, rollupUsage } from "@/lib/services/usage-rollup";
import { addModelPrice } from "@/lib/services/catalog";

let o: TestOrg;
const DAY = 86_400_000;

beforeAll(async () => {
  o = await makeOrg("readmodel");
  // 120 days across five calendar months, two teams, two models, a price change mid-month, cached input
  const lines = ["date,team,provider,model,input_tokens,output_tokens,cached_input_tokens,requests,cost_usd"];
  for (let i = 0; i < 120; i++) {
    const day = new Date(Date.UTC(2026, 5, 17) + i * DAY).toISOString().slice(0, 10);
    lines.push(`${day},Support,OpenAI,gpt-4.1,${1_000_003 + i * 17},${200_001 + i},${i % 7 === 0 ? 0 : 1_000 + i},${10 + i},${(1.234567 + i / 1000).toFixed(6)}`);
    if (i % 3 === 0) lines.push(`${day},Search,OpenAI,gpt-4.1-mini,${5_000_000 + i},${500_000},${100_000},900,`);
  }
  await importUsage(o.ctx("ADMIN"), { fileName: "u.csv", body: Readable.from([Buffer.from(lines.join("\n"))]), mode: "commit", onErrors: "reject" });
  await prisma.modelPrice.create({ data: { organizationId: o.org.id, modelId: o.gpt.id, effectiveFrom: new Date("2026-08-12"), inputUsdPerMTokens: "1.7", outputUsdPerMTokens: "6.3", cachedInputUsdPerMTokens: "0.41" } });
});

describe("range plan", () => {
  const d = (s: string) => new Date(`${s}T00:00:00Z`);
  it("reads whole months from the monthly model and the partial edges from the days", () => {
    expect(planRange("2026-06-17", "2026-10-14", true)).toEqual({ months: { from: d("2026-07-01"), to: d("2026-10-01") }, days: [{ from: d("2026-06-17"), to: d("2026-07-01") }, { from: d("2026-10-01"), to: d("2026-10-15") }] });
    expect(planRange("2026-07-01", "2026-09-30", true)).toEqual({ months: { from: d("2026-07-01"), to: d("2026-10-01") }, days: [] });
    expect(planRange("2026-07-03", "2026-07-20", true)).toEqual({ months: null, days: [{ from: d("2026-07-03"), to: d("2026-07-21") }] });
    expect(planRange(undefined, undefined, true)).toEqual({ months: { from: null, to: null }, days: [] });
    expect(planRange("2026-07-03", undefined, false)).toEqual({ months: null, days: [{ from: d("2026-07-03"), to: null }] });
  });
});

describe("monthly read model", () => {
  const ranges: { from?: string; to?: string }[] = [{}, { from: "2026-06-20", to: "2026-10-03" }, { from: "2026-07-01", to: "2026-08-31" }, { from: "2026-08-05", to: "2026-08-20" }, { from: "2026-09-15" }];
  it("gives exactly the daily path's numbers for every range, bucket and grouping, once rolled up", async () => {
    const ctx = o.ctx("CFO");
    // the import and the new price left the rollup behind: everything is read from the days
    expect(await rollupIsCurrent(o.org.id)).toBe(false);
    const daily = [];
    const scopes = [{ teamId: null, modelClassId: null }, { teamId: null, modelClassId: o.cls.id }, { teamId: o.teamA.id, modelClassId: null }];
    const win = { after: new Date("2026-06-30T00:00:00Z"), before: new Date("2026-09-02T00:00:00Z") };
    const histDaily = await Promise.all(scopes.map((sc) => dailyTokens(o.org.id, { ...sc, ...win })));
    expect(histDaily[0].length).toBe(63);
    for (const r of ranges) daily.push([await usageSeries(ctx, r, "month"), await usageBreakdown(ctx, r, "team"), await usageBreakdown(ctx, r, "model"), await usageBreakdown(ctx, r, "class"), await usageTotals(o.org.id)]);
    const roll = await rollupUsage(o.org.id);
    expect(roll.monthlyRows).toBeGreaterThan(0);
    expect(await rollupIsCurrent(o.org.id)).toBe(true);
    for (const [i, r] of ranges.entries()) {
      const monthly = [await usageSeries(ctx, r, "month"), await usageBreakdown(ctx, r, "team"), await usageBreakdown(ctx, r, "model"), await usageBreakdown(ctx, r, "class"), await usageTotals(o.org.id)];
      expect(monthly, JSON.stringify(r)).toEqual(daily[i]);
    }
    expect(await Promise.all(scopes.map((sc) => dailyTokens(o.org.id, { ...sc, ...win })))).toEqual(histDaily);
    // and the whole months really come from UsageMonthly: altering it changes what is read
    await prisma.$executeRaw`UPDATE "UsageMonthly" SET "listCostUsd" = 0 WHERE "organizationId" = ${o.org.id}`;
    expect((await usageSeries(ctx, ranges[2], "month"))[0].listCostUsd).toBe("0.00");
    await rollupUsage(o.org.id);
    // team leads are pinned to their team on both paths
    const lead = await usageBreakdown(o.ctx("TEAM_LEAD"), {}, "team");
    expect(lead.map((x) => x.key)).toEqual(["Support"]);
  });

  it("a price change makes it stale until repriced, and the repriced figures follow the new price", async () => {
    const before = await usageSeries(o.ctx("CFO"), { from: "2026-09-01", to: "2026-09-30" }, "month");
    await addModelPrice(o.ctx("ADMIN"), o.gpt.id, { effectiveFrom: "2026-09-01", inputUsdPerMTokens: "1", outputUsdPerMTokens: "4", cachedInputUsdPerMTokens: null } as never);
    expect(await rollupIsCurrent(o.org.id)).toBe(false);
    const stale = await usageSeries(o.ctx("CFO"), { from: "2026-09-01", to: "2026-09-30" }, "month");
    await rollupUsage(o.org.id);
    const after = await usageSeries(o.ctx("CFO"), { from: "2026-09-01", to: "2026-09-30" }, "month");
    expect(after).toEqual(stale); // the daily fallback already priced with the new catalog
    expect(Number(after[0].listCostUsd)).toBeLessThan(Number(before[0].listCostUsd));
  });
});
