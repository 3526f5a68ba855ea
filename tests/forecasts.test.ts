import { beforeAll, describe, expect, it, vi } from "vitest";
import { prisma } from "@/lib/db/client";
import { Readable } from "node:stream";
import { forecastView } from "@/lib/services/forecasts";
import { importUsage } from "@/lib/services/usage-import";
import { horizonDays, runForecasts } from "@/lib/services/forecast-run";
import Decimal from "decimal.js";
import { HANDLERS } from "@/lib/jobs/handlers";
import { JOBS } from "@/lib/jobs/queue";
import { makeOrg, type TestOrg } from "./fixtures";
import { call, signInAs } from "./route";
import * as forecastsRoute from "@/app/api/v1/forecasts/route";
import * as overridesRoute from "@/app/api/v1/forecast-overrides/route";

vi.mock("next-auth", async (o) => ({ ...(await o<object>()), getServerSession: async () => (await import("./route")).session.current }));

const DAY = 86_400_000;
let o: TestOrg;
const now = new Date("2026-11-24T08:00:00Z");

beforeAll(async () => {
  o = await makeOrg("fc");
  const lines = ["date,team,provider,model,input_tokens,output_tokens"];
  // team A: 200 days of weekly-seasonal usage; team B: launched 20 days ago (short series)
  for (let i = 200; i >= 1; i--) {
    const day = new Date(Date.UTC(2026, 10, 24) - i * DAY).toISOString().slice(0, 10);
    const weekend = new Date(day).getUTCDay() === 0 || new Date(day).getUTCDay() === 6;
    lines.push(`${day},Support,OpenAI,gpt-4.1,${Math.round((weekend ? 400 : 1000) * 1e6 * (1 + i * 0.0005))},${weekend ? 80e6 : 200e6}`);
    if (i <= 20) lines.push(`${day},Search,OpenAI,gpt-4.1-mini,5000000,500000`);
  }
  const r = await importUsage(o.ctx("ADMIN"), { fileName: "history.csv", body: Readable.from([Buffer.from(lines.join("\n"))]), mode: "commit", onErrors: "reject" });
  expect(r.status).toBe("COMPLETED");
});

describe("horizon", () => {
  it("reaches the end of next quarter or of this year, whichever is later", () => {
    expect(horizonDays(new Date("2026-11-23T00:00:00Z"))).toBe(128); // → 2027-03-31
    expect(horizonDays(new Date("2026-02-10T00:00:00Z"))).toBe(324); // → 2026-12-31
  });
});

describe("forecast job", () => {
  it("stores versioned forecasts per team × class and roll-ups, with backtest metrics and fallbacks", async () => {
    const r = await runForecasts(o.org.id, now);
    expect(r).toMatchObject({ asOf: "2026-11-24", lastObservedDay: "2026-11-23", horizonDays: 128 });
    // team×class: A/general, B/general; roll-ups: class general, team A, team B, org
    expect(r.series).toBe(6);
    const a = await prisma.forecast.findFirstOrThrow({ where: { organizationId: o.org.id, teamId: o.teamA.id, modelClassId: o.cls.id }, include: { points: true } });
    expect(a.points).toHaveLength(128 * 2);
    for (const p of a.points) expect(p.p10 <= p.p50 && p.p50 <= p.p90).toBe(true);
    const m = a.metrics as { INPUT: { fallback: boolean; backtest: { origins: number; mase: number; coverage: number } | null } };
    expect(m.INPUT.fallback).toBe(false);
    // 200 days < 3 × 128 + 28: too short for a 3-origin backtest at the full horizon, reported as missing
    expect(m.INPUT.backtest === null || m.INPUT.backtest.origins >= 1).toBe(true);
    const b = await prisma.forecast.findFirstOrThrow({ where: { organizationId: o.org.id, teamId: o.teamB.id, modelClassId: o.cls.id } });
    const mb = b.metrics as { INPUT: { fallback: boolean; note: string; launchedAt: string } };
    expect(mb.INPUT.fallback).toBe(true);
    expect(mb.INPUT.note).toMatch(/Only 20 observations/);
    expect(mb.INPUT.launchedAt).toBe("2026-11-04");
    // re-running the same day replaces, not duplicates
    await runForecasts(o.org.id, now);
    expect(await prisma.forecast.count({ where: { organizationId: o.org.id, asOf: new Date("2026-11-24") } })).toBe(6);
  });

  it("the forecasts.run job logs its run", async () => {
    await HANDLERS[JOBS.runForecasts]!({ orgId: o.org.id });
    const run = await prisma.jobRun.findFirstOrThrow({ where: { organizationId: o.org.id, name: JOBS.runForecasts } });
    expect(run.status).toBe("SUCCEEDED");
  });
});

describe("planner overrides", () => {
  it("a team lead adds +30% from a date for their team; original kept, team, class and org roll-ups adjusted", async () => {
    signInAs(o.users.TEAM_LEAD.id, o.org.id);
    const bad = await call(overridesRoute.POST, "/x", { method: "POST", body: { modelClassId: o.cls.id, startsOn: "2027-02-01", endsOn: "2027-01-01", changePct: "30", description: "bot" } });
    expect(bad.status).toBe(422);
    expect(bad.json.error.issues[0].path).toBe("body.endsOn");
    const other = await call(overridesRoute.POST, "/x", { method: "POST", body: { teamId: o.teamB.id, modelClassId: o.cls.id, startsOn: "2027-02-01", changePct: "30", description: "not mine" } });
    expect(other.status).toBe(403);
    const ok = await call(overridesRoute.POST, "/x", { method: "POST", body: { modelClassId: o.cls.id, startsOn: "2027-02-01", changePct: "30", description: "New support bot launches" } });
    expect(ok.status).toBe(201);
    expect(ok.json.adjustedForecasts).toBe(4);

    const v = await call(forecastsRoute.GET, `/api/v1/forecasts?modelClassId=${o.cls.id}`);
    expect(v.status).toBe(200);
    const pick = (f: { points: { date: string; metric: string; p50: string }[] }, date: string) => BigInt(f.points.find((p) => p.metric === "INPUT" && p.date.startsWith(date))!.p50);
    const before = pick(v.json.forecast, "2027-01-15");
    const after = pick(v.json.forecast, "2027-02-15");
    expect(pick(v.json.adjusted, "2027-01-15")).toBe(before);
    expect(pick(v.json.adjusted, "2027-02-15")).toBe((after * 13n + 5n) / 10n);

    signInAs(o.users.CFO.id, o.org.id);
    const org = await call(forecastsRoute.GET, "/api/v1/forecasts");
    const orgBase = pick(org.json.forecast, "2027-02-15");
    expect(pick(org.json.adjusted, "2027-02-15") - orgBase).toBe(pick(v.json.adjusted, "2027-02-15") - after);
  });

  it("a team lead cannot read another team's forecast", async () => {
    signInAs(o.users.TEAM_LEAD.id, o.org.id);
    expect((await call(forecastsRoute.GET, `/api/v1/forecasts?teamId=${o.teamB.id}`)).status).toBe(403);
  });
});

describe("cost at today's curve", () => {
  it("prices each class's P50 on its own curve (spot for the as-of month) and says when a class has no curve", async () => {
    const none = await forecastView(o.ctx("CFO"), {});
    expect(none.classesWithoutCurve).toBe(1);
    expect(none.monthlyCostUsd).toEqual({});
    await prisma.forwardCurve.create({
      data: {
        organizationId: o.org.id, modelClassId: o.cls.id, asOf: new Date("2026-11-24"), spotUsdPerMTokens: "3", params: {},
        points: { create: [{ deliveryMonth: new Date("2026-12-01"), priceUsdPerMTokens: "2.5", kind: "QUOTED", quoteCount: 3, stale: false, wide: false, thin: false }] },
      },
    });
    const v = await forecastView(o.ctx("CFO"), {});
    const dec = v.base!.points.filter((p) => p.date.toISOString().startsWith("2026-12"));
    const nov = v.base!.points.filter((p) => p.date.toISOString().startsWith("2026-11"));
    const sum = (ps: typeof dec, price: string) => ps.reduce((s, p) => s.plus(new Decimal(p.p50.toString()).div(1e6).mul(price)), new Decimal(0)).toFixed(2);
    expect(v.monthlyCostUsd["2026-12"]).toBe(sum(dec, "2.5"));
    expect(v.monthlyCostUsd["2026-11"]).toBe(sum(nov, "3"));
    expect(v.monthlyCostUsd["2027-01"]).toBeUndefined();
    expect(v.classesWithoutCurve).toBe(0);
  });
});
