import { Readable } from "node:stream";
import { beforeAll, describe, expect, it } from "vitest";
import { makeOrg, type TestOrg } from "./fixtures";
import { prisma } from "@/lib/db/client";
import { importUsage } from "@/lib/services/usage-import";
import { dailyTokens, planRange, usageBreakdown, usageSeries, usageTotals } from "@/lib/services/usage";
import { bumpUsageVersion, rollupIsCurrent, rollupUsage } from "@/lib/services/usage-rollup";
import { UPKEEP_MAX_SERIES_DAYS } from "@/lib/services/usage-store";
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
  // a price change after the import (as the catalog service records one: the usage version moves)
  await prisma.modelPrice.create({ data: { organizationId: o.org.id, modelId: o.gpt.id, effectiveFrom: new Date("2026-08-12"), inputUsdPerMTokens: "1.7", outputUsdPerMTokens: "6.3", cachedInputUsdPerMTokens: "0.41" } });
  await bumpUsageVersion(o.org.id);
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
    // the new price left the rollup behind: everything is read from the days
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

describe("read-model upkeep inside the import", () => {
  const file = (rows: string[]) => Readable.from([Buffer.from(["date,team,provider,model,input_tokens,output_tokens,cached_input_tokens,requests", ...rows].join("\n"))]);
  const days = (from: string, n: number, f: (day: string, i: number) => string[]) =>
    Array.from({ length: n }, (_, i) => f(new Date(Date.parse(`${from}T00:00:00Z`) + i * DAY).toISOString().slice(0, 10), i)).flat();
  /** Both read models of the org, in a stable order, as text. */
  const snapshot = async (orgId: string) => ({
    monthly: await prisma.$queryRaw`SELECT "teamId", "modelId", month::text, "inputTokens"::text, "outputTokens"::text, "cachedInputTokens"::text, requests::text,
                                           "listCostUsd"::text, "costUsd"::text, days, "dayMask"::text, rows::text
                                      FROM "UsageMonthly" WHERE "organizationId" = ${orgId} ORDER BY 1, 2, 3`,
    classDaily: await prisma.$queryRaw`SELECT "modelClassId", day::text, "inputTokens"::text, "outputTokens"::text FROM "UsageClassDaily" WHERE "organizationId" = ${orgId} ORDER BY 1, 2`,
  });
  /** What a full rebuild by the rollup job gives, for comparison. */
  const rebuilt = async (orgId: string) => {
    await rollupUsage(orgId);
    return snapshot(orgId);
  };

  it("keeps UsageMonthly and UsageClassDaily exactly equal to a full rebuild after each import, and the job then has nothing to do", async () => {
    const u = await makeOrg("upkeep");
    const admin = u.ctx("ADMIN");
    const run = (rows: string[], name: string) => importUsage(admin, { fileName: name, body: file(rows), mode: "commit", onErrors: "reject" });
    // 1. a fresh org: two months of two teams × two models, a cached share
    const r1 = await run(days("2026-03-20", 45, (d, i) => [`${d},Support,OpenAI,gpt-4.1,${1_000_000 + i},${2_000 + i},${i * 10},${i}`, `${d},Search,OpenAI,gpt-4.1-mini,${3_000_000 + i},${4_000},0,1`]), "a.csv");
    expect(r1.status).toBe("COMPLETED");
    expect(await rollupIsCurrent(u.org.id)).toBe(true);
    const afterFirst = await snapshot(u.org.id);
    expect((afterFirst.monthly as unknown[]).length).toBe(6);
    expect(afterFirst).toEqual(await rebuilt(u.org.id));
    // 2. corrections inside a stored month (replacing rows) plus a new month and a new team × model series
    await run([...days("2026-04-10", 5, (d) => [`${d},Support,OpenAI,gpt-4.1,7,8,0,1`]), ...days("2026-06-01", 3, (d) => [`${d},Search,OpenAI,gpt-4.1,11,13,0,2`])], "b.csv");
    expect(await rollupIsCurrent(u.org.id)).toBe(true);
    const afterSecond = await snapshot(u.org.id);
    expect(afterSecond).not.toEqual(afterFirst);
    expect(afterSecond).toEqual(await rebuilt(u.org.id));
    // the job finds nothing to do
    expect((await rollupUsage(u.org.id, { onlyIfBehind: true })).skipped).toBe(true);
    // 3. a list price change leaves the read models behind: an import does not pretend to repair them, the job does
    await addModelPrice(u.ctx("ADMIN"), u.gpt.id, { effectiveFrom: "2026-04-01", inputUsdPerMTokens: "1", outputUsdPerMTokens: "4", cachedInputUsdPerMTokens: null } as never);
    await run(days("2026-07-01", 2, (d) => [`${d},Support,OpenAI,gpt-4.1,5,5,0,1`]), "c.csv");
    expect(await rollupIsCurrent(u.org.id)).toBe(false);
    const job = await rollupUsage(u.org.id, { onlyIfBehind: true });
    expect(job.skipped).toBe(false);
    expect(await rollupIsCurrent(u.org.id)).toBe(true);
    // 4. and from there imports keep it current again
    await run(days("2026-07-03", 2, (d) => [`${d},Search,OpenAI,gpt-4.1-mini,9,9,0,1`]), "d.csv");
    expect(await rollupIsCurrent(u.org.id)).toBe(true);
    const afterFourth = await snapshot(u.org.id);
    expect(afterFourth).toEqual(await rebuilt(u.org.id));
    // 5. a bulk load spanning more series × days than the upkeep limit is left to the job, which then rebuilds
    const teams = Array.from({ length: 20 }, (_, i) => `Bulk ${i}`);
    await prisma.team.createMany({ data: teams.map((name) => ({ organizationId: u.org.id, name })) });
    const n = Math.ceil((UPKEEP_MAX_SERIES_DAYS + 1) / teams.length);
    const bulk = await run(days("2023-01-01", n, (d) => teams.map((t) => `${d},${t},OpenAI,gpt-4.1,1,1,0,1`)), "bulk.csv");
    expect(bulk.status).toBe("COMPLETED");
    expect(await rollupIsCurrent(u.org.id)).toBe(false);
    expect((await rollupUsage(u.org.id, { onlyIfBehind: true })).skipped).toBe(false);
    expect(await rollupIsCurrent(u.org.id)).toBe(true);
  });
});
