import { beforeAll, describe, expect, it, vi } from "vitest";
import Decimal from "decimal.js";
import Papa from "papaparse";
import { prisma } from "@/lib/db/client";
import { runRecommendations } from "@/lib/services/hedging/recommendations";
import { budgetView, coverageView, COVERAGE_CSV_COLUMNS, dashboardAlerts, nextQuarter, procurementTasks, scenarioLines, scenarioView } from "@/lib/services/hedging/dashboard";
import { stressScenario } from "@/lib/domain/scenario";
import { addDays, monthKey, utcDay } from "@/lib/domain/time";
import { addMonths } from "@/lib/domain/curve";
import { daysInMonth } from "@/lib/domain/demand";
import * as coverageRoute from "@/app/api/v1/coverage/route";
import * as scenarioRoute from "@/app/api/v1/scenario/route";
import { makeOrg, type TestOrg } from "./fixtures";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { encode } from "next-auth/jwt";
import { authSecret } from "@/lib/env";
import { directRequest, serveDirect } from "@/lib/web/direct-api";
import { call, signInAs } from "./route";

vi.mock("next-auth", async (o) => ({ ...(await o<object>()), getServerSession: async () => (await import("./route")).session.current }));
vi.mock("@/lib/jobs/queue", async (o) => ({ ...(await o<object>()), enqueue: async () => "job-1", enqueueFollowUp: async () => undefined }));

// The dashboard reads "today": the data is laid out around the real date so the next 12 months and next quarter exist.
const today = utcDay(new Date());
const iso = (d: Date) => d.toISOString().slice(0, 10);
const first = (month: string) => new Date(`${month}-01T00:00:00Z`);
const last = (month: string) => addDays(first(addMonths(month, 1)), -1);
const m1 = addMonths(monthKey(today), 1);
const m2 = addMonths(monthKey(today), 2);
const P50_PER_DAY = 1_200_000_000n;

let o: TestOrg;
let other: TestOrg;
const ids = {} as Record<"under" | "over" | "ending" | "pending" | "drifted", string>;

async function book(t: TestOrg, counterpartyId: string, ref: string, q: bigint, from: Date, to: Date, extra: { status?: "BOOKED" | "DELIVERING" | "PENDING_APPROVAL"; strike?: string; bookedAt?: Date; settlement?: "FINANCIAL" | "SERVICE_CREDITS"; bookedById?: string } = {}) {
  const product = await prisma.contractProduct.create({
    data: { organizationId: t.org.id, providerId: t.provider.id, modelClassId: t.cls.id, quantityTokens: q, windowStart: from, windowEnd: to, strikeUsdPerMTokens: extra.strike ?? "3", settlement: extra.settlement ?? "FINANCIAL" },
  });
  const c = await prisma.contract.create({
    data: {
      organizationId: t.org.id, reference: ref, productId: product.id, counterpartyId, status: extra.status ?? "BOOKED", substitutionRule: "MANUAL_REVIEW",
      bookedById: extra.bookedById ?? t.users.PROCUREMENT.id, bookedByName: "PROCUREMENT", bookedAt: extra.bookedAt ?? new Date(), idempotencyKey: ref, requestHash: ref,
    },
  });
  return c.id;
}

beforeAll(async () => {
  o = await makeOrg("dash");
  other = await makeOrg("dash-other");
  // a class forecast from today for 200 days: 1.2B tokens a day at P50
  const points = [];
  for (let d = today; d < addDays(today, 200); d = addDays(d, 1)) {
    points.push({ date: d, metric: "INPUT" as const, p10: 800_000_000n, p50: 1_000_000_000n, p90: 1_300_000_000n });
    points.push({ date: d, metric: "OUTPUT" as const, p10: 160_000_000n, p50: 200_000_000n, p90: 260_000_000n });
  }
  await prisma.forecast.create({ data: { organizationId: o.org.id, teamId: null, modelClassId: o.cls.id, asOf: today, horizonDays: 200, method: "test", params: { lastObservedDay: iso(addDays(today, -1)) }, metrics: {}, points: { createMany: { data: points } } } });
  await prisma.forwardCurve.create({
    data: {
      organizationId: o.org.id, modelClassId: o.cls.id, asOf: today, spotUsdPerMTokens: "3", params: {},
      points: { createMany: { data: Array.from({ length: 12 }, (_, i) => ({ deliveryMonth: first(addMonths(monthKey(today), i + 1)), priceUsdPerMTokens: (3 - i * 0.05).toFixed(2), kind: "QUOTED" as const, quoteCount: i === 1 ? 1 : 4, stale: false, wide: false, thin: i === 1 })) } },
    },
  });
  await prisma.hedgePolicy.create({ data: { organizationId: o.org.id, modelClassId: null, bands: [{ fromMonth: 1, toMonth: 3, minPct: 70, maxPct: 90 }, { fromMonth: 4, toMonth: 12, minPct: 0, maxPct: 50 }], quarterlyBudgetUsd: "1000000", approvalThresholdUsd: "250000" } });
  // a model version effective 5 days ago: contracts booked before it have drifted (D-DRIFT), later ones have not
  await prisma.modelVersion.create({ data: { organizationId: o.org.id, modelId: o.gpt.id, version: "gpt-4.1-next", effectiveFrom: addDays(today, -5) } });
  const cp = await prisma.counterparty.create({ data: { organizationId: o.org.id, name: "Small desk", rating: "BBB", limitUsd: "1000" } });
  // m1 half covered (under the 70–90% band), m2 fully covered (over it)
  ids.under = await book(o, cp.id, "D-UNDER", BigInt(daysInMonth(m1)) * P50_PER_DAY / 2n, first(m1), last(m1));
  ids.over = await book(o, cp.id, "D-OVER", BigInt(daysInMonth(m2)) * P50_PER_DAY, first(m2), last(m2));
  // ends within 14 days, inside the current month (so it does not cover m1)
  const endOfMonth = addDays(first(m1), -1);
  ids.ending = await book(o, cp.id, "D-ENDING", 1_000_000_000n, addDays(today, -10), addDays(today, 5) < endOfMonth ? addDays(today, 5) : endOfMonth, { status: "DELIVERING" });
  ids.pending = await book(o, cp.id, "D-PENDING", 9_000_000_000n, first(m1), last(m1), { status: "PENDING_APPROVAL" });
  ids.drifted = await book(o, cp.id, "D-DRIFT", 1_000_000_000n, first(addMonths(m2, 2)), last(addMonths(m2, 2)), { bookedAt: addDays(today, -30) });
  await runRecommendations(o.org.id, new Date(), { paths: 1000 });
});

describe("coverage", () => {
  it("next 12 months: forecast band, contracted, coverage against the policy band; pending approval apart", async () => {
    const v = await coverageView(o.ctx("CFO"));
    expect(v.months).toHaveLength(12);
    expect(v.months[0]).toBe(m1);
    const cell = (m: string) => v.cells.find((c) => c.classId === o.cls.id && c.month === m)!;
    expect(cell(m1)).toMatchObject({ tenor: 1, status: "under", coveragePct: "50.00", bandMinPct: "70", bandMaxPct: "90", p50Tokens: (BigInt(daysInMonth(m1)) * P50_PER_DAY).toString(), pendingTokens: "9000000000" });
    // 70% of P50 − contracted
    expect(BigInt(cell(m1).gapTokens)).toBe((BigInt(daysInMonth(m1)) * P50_PER_DAY * 70n) / 100n - (BigInt(daysInMonth(m1)) * P50_PER_DAY) / 2n);
    expect(cell(m2)).toMatchObject({ tenor: 2, status: "over", coveragePct: "100.00" });
    expect(BigInt(cell(m2).p10Tokens!) < BigInt(cell(m2).p50Tokens!) && BigInt(cell(m2).p50Tokens!) < BigInt(cell(m2).p90Tokens!)).toBe(true);
    // no forecast beyond the 200 days
    expect(cell(v.months[11]).status).toBe("noForecast");
  });

  it("GET /api/v1/coverage: JSON and a CSV that parses; team leads 403", async () => {
    signInAs(o.users.PROCUREMENT.id, o.org.id);
    const j = await call(coverageRoute.GET, "/api/v1/coverage");
    expect(j.status).toBe(200);
    expect(j.json.cells).toHaveLength(12);
    const csv = await call(coverageRoute.GET, "/api/v1/coverage?format=csv");
    const rows = Papa.parse<string[]>(csv.text.trim()).data;
    expect(rows[0]).toEqual([...COVERAGE_CSV_COLUMNS]);
    expect(rows[1]).toEqual(expect.arrayContaining(["General chat", m1, "1", "50.00", "under"]));
    expect(rows).toHaveLength(13);
    expect((await call(coverageRoute.GET, "/api/v1/coverage?format=pdf")).json.error.issues[0].path).toBe("query.format");
    signInAs(o.users.TEAM_LEAD.id, o.org.id);
    expect((await call(coverageRoute.GET, "/api/v1/coverage")).status).toBe(403);
    signInAs(other.users.CFO.id, other.org.id);
    const empty = await call(coverageRoute.GET, "/api/v1/coverage");
    expect(empty.json.cells.every((c: { status: string; contractedTokens: string }) => c.status === "noForecast" && c.contractedTokens === "0")).toBe(true);
  });
});

describe("budget at risk and scenario", () => {
  it("next quarter's expected and P95 spend, hedged and unhedged, against the policy budget", async () => {
    const b = (await budgetView(o.ctx("CFO")))!;
    expect(b.quarter).toEqual(nextQuarter(today));
    expect(b.budgetUsd).toBe("1000000");
    expect(b.classes.map((c) => c.months)).toEqual([b.quarter.months]);
    for (const k of ["hedged", "unhedged"] as const) {
      expect(new Decimal(b.total[k].p95Usd).gte(b.total[k].expectedUsd)).toBe(true);
      expect(b.total[k].budgetExceedProb).toBeGreaterThanOrEqual(0);
    }
    // unhedged expected ≈ Σ P50 × forward (the simulation keeps the forward unbiased; demand skew adds a little)
    const atP50 = stressScenario(scenarioLines(b.lines), { spotChangePct: 0, demandChangePct: 0 });
    const ratio = new Decimal(b.total.unhedged.expectedUsd).div(atP50.total.base.unhedgedUsd).toNumber();
    expect(ratio).toBeGreaterThan(0.9);
    expect(ratio).toBeLessThan(1.2);
  });

  it("a preset changes the hedged and unhedged numbers, on the server as in the browser", async () => {
    signInAs(o.users.CFO.id, o.org.id);
    const base = await call(scenarioRoute.GET, "/api/v1/scenario");
    expect(base.status).toBe(200);
    const cut = await call(scenarioRoute.GET, "/api/v1/scenario?spotChangePct=-50&demandChangePct=0");
    // half the spot halves the unhedged bill exactly; the hedge keeps part of it fixed
    expect(new Decimal(cut.json.atP50.total.stressed.unhedgedUsd).mul(2).sub(base.json.atP50.total.stressed.unhedgedUsd).abs().lte("0.01")).toBe(true);
    expect(new Decimal(cut.json.atP50.total.stressed.hedgedUsd).gt(new Decimal(base.json.atP50.total.stressed.hedgedUsd).div(2))).toBe(true);
    expect(new Decimal(cut.json.simulated.unhedged.expectedUsd).mul(2).sub(base.json.simulated.unhedged.expectedUsd).abs().lte("0.05")).toBe(true);
    const direct = await scenarioView(o.ctx("CFO"), { spotChangePct: -50, demandChangePct: 0 });
    expect(direct!.atP50.total).toEqual(cut.json.atP50.total);
    const one = await call(scenarioRoute.GET, `/api/v1/scenario?demandChangePct=100&modelClassId=${o.cls.id}`);
    expect(new Decimal(one.json.atP50.total.change.unhedgedUsd).gt(0)).toBe(true);
  });

  it("names the field on bad input; another org's class is 404; team leads 403", async () => {
    signInAs(o.users.CFO.id, o.org.id);
    const bad = await call(scenarioRoute.GET, "/api/v1/scenario?spotChangePct=500");
    expect(bad.status).toBe(422);
    expect(bad.json.error.issues[0].path).toBe("query.spotChangePct");
    expect((await call(scenarioRoute.GET, "/api/v1/scenario?demandChangePct=-60")).json.error.issues[0].path).toBe("query.demandChangePct");
    expect((await call(scenarioRoute.GET, `/api/v1/scenario?modelClassId=${other.cls.id}`)).status).toBe(404);
    signInAs(o.users.TEAM_LEAD.id, o.org.id);
    expect((await call(scenarioRoute.GET, "/api/v1/scenario")).status).toBe(403);
    signInAs(other.users.PROCUREMENT.id, other.org.id);
    expect((await call(scenarioRoute.GET, "/api/v1/scenario")).json).toEqual({ quarter: null, atP50: null, simulated: null });
  });
});

describe("the web server's direct answer to GET /api/v1/scenario (lib/web/direct-api.ts)", () => {
  it("answers a session exactly as the route handler does, with the security headers; everything else goes to Next", async () => {
    let toNext = 0;
    const server = createServer((req, res) => {
      if (directRequest(req)) return void serveDirect(req, res, () => next(res));
      next(res);
    });
    // the stand-in for Next: counts what it was handed
    const next = (res: import("node:http").ServerResponse) => {
      toNext++;
      res.statusCode = 599;
      res.end("next");
    };
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const cookie = async (uid: string, orgId: string, sv = 0) => `next-auth.session-token=${await encode({ secret: authSecret(), token: { uid, orgId, sv }, maxAge: 3600 })}`;
    const get = async (path: string, headers: Record<string, string> = {}, method = "GET") => {
      const r = await fetch(`${base}${path}`, { headers, method });
      return { status: r.status, by: r.headers.get("x-served-by"), headers: r.headers, text: await r.text() };
    };
    try {
      const cfo = await cookie(o.users.CFO.id, o.org.id);
      signInAs(o.users.CFO.id, o.org.id);
      for (const q of ["", "?spotChangePct=-50&demandChangePct=0", "?spotChangePct=200&demandChangePct=100", `?demandChangePct=-20&modelClassId=${o.cls.id}`]) {
        const d = await get(`/api/v1/scenario${q}`, { cookie: cfo });
        expect([d.status, d.by]).toEqual([200, "web-server"]);
        expect(JSON.parse(d.text)).toEqual((await call(scenarioRoute.GET, `/api/v1/scenario${q}`)).json);
      }
      const h = (await get("/api/v1/scenario", { cookie: cfo })).headers;
      expect([h.get("content-type"), h.get("x-frame-options"), h.get("x-content-type-options"), h.get("referrer-policy")]).toEqual(["application/json", "DENY", "nosniff", "strict-origin-when-cross-origin"]);
      // procurement may ask too (the endpoint's roles)
      expect((await get("/api/v1/scenario", { cookie: await cookie(o.users.PROCUREMENT.id, o.org.id) })).by).toBe("web-server");
      expect(toNext).toBe(0);
      // Next answers: no session, a forged or revoked one, a role the endpoint refuses, a query that does not
      // parse, another org's class, an API token, another method
      const forged = cfo.slice(0, -4) + (cfo.endsWith("AAAA") ? "BBBB" : "AAAA");
      const cases: [string, Record<string, string>, string?][] = [
        ["/api/v1/scenario", {}],
        ["/api/v1/scenario", { cookie: forged }],
        ["/api/v1/scenario", { cookie: await cookie(o.users.CFO.id, o.org.id, 7) }],
        ["/api/v1/scenario", { cookie: await cookie(o.users.TEAM_LEAD.id, o.org.id) }],
        ["/api/v1/scenario", { cookie: await cookie(o.users.CFO.id, other.org.id) }],
        ["/api/v1/scenario?spotChangePct=500", { cookie: cfo }],
        ["/api/v1/scenario?extra=1", { cookie: cfo }],
        [`/api/v1/scenario?modelClassId=${other.cls.id}`, { cookie: cfo }],
        ["/api/v1/scenario", { cookie: cfo, authorization: "Bearer th_xxxxxxxxxxxxxxxxxxxxxxxx" }],
        ["/api/v1/scenario", { cookie: cfo }, "POST"],
        ["/api/v1/coverage", { cookie: cfo }],
      ];
      for (const [path, headers, method] of cases) {
        const before = toNext;
        const r = await get(path, headers, method);
        expect([path, r.status, r.text, toNext - before]).toEqual([path, 599, "next", 1]);
      }
      process.env.DIRECT_API = "off";
      expect((await get("/api/v1/scenario", { cookie: cfo })).status).toBe(599);
    } finally {
      delete process.env.DIRECT_API;
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

describe("alerts and the to-do list", () => {
  it("coverage, counterparty limit, drift, thin curve points, window ending, approvals, unmarked — each with a link", async () => {
    const alerts = await dashboardAlerts(o.ctx("CFO"));
    const byId = (prefix: string) => alerts.filter((a) => a.id.startsWith(prefix));
    expect(byId("coverage-over")[0].href).toMatch(/^\/contracts\?modelClassId=/);
    expect(byId("coverage-under")[0].href).toBe(`/hedging/recommendations?class=${o.cls.id}`);
    expect(byId("cp-")[0]).toMatchObject({ kind: "counterparty", severity: "high" });
    expect(byId("drift-").map((a) => a.href)).toEqual([`/contracts/${ids.drifted}`]);
    expect(byId("window-").map((a) => a.href)).toEqual([`/contracts/${ids.ending}`]);
    // m2's curve point is thin: D-OVER is valued on it
    expect(byId("curve-").map((a) => a.href)).toContain(`/contracts/${ids.over}`);
    expect(byId("approvals")[0].href).toBe("/approvals");
    expect(byId("unmarked-")).toHaveLength(4);
    // most severe first
    expect(alerts[0].severity).toBe("high");
  });

  it("procurement starts from recommendations to book, then what needs action", async () => {
    const { tasks } = await procurementTasks(o.ctx("PROCUREMENT"));
    const book = tasks.filter((t) => t.id.startsWith("book-"));
    expect(book.length).toBeGreaterThan(0);
    expect(book[0].href).toMatch(/^\/contracts\/new\?recommendation=/);
    expect(tasks.some((t) => t.id === "pending-mine")).toBe(true);
    expect(tasks.some((t) => t.id.startsWith("coverage-under"))).toBe(false);
  });
});
