import { readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { prisma } from "@/lib/db/client";
import { importQuotes, parseQuotesCsv } from "@/lib/services/quotes";
import { curveView, readCurveMeta, rebuildCurves } from "@/lib/services/curves";
import { importUsage } from "@/lib/services/usage-import";
import { HANDLERS } from "@/lib/jobs/handlers";
import { JOBS } from "@/lib/jobs/queue";
import { makeOrg, type TestOrg } from "./fixtures";
import { call, signInAs } from "./route";
import * as quotesRoute from "@/app/api/v1/quotes/route";
import * as uploadRoute from "@/app/api/v1/quotes/upload/route";
import * as curvesRoute from "@/app/api/v1/curves/route";

vi.mock("next-auth", async (o) => ({ ...(await o<object>()), getServerSession: async () => (await import("./route")).session.current }));
const enqueued: string[] = [];
vi.mock("@/lib/jobs/queue", async (o) => ({ ...(await o<object>()), enqueueAfterImport: async (orgId: string, kind: string) => void enqueued.push(`${orgId}:${kind}`) }));

const csv = (f: string) => readFileSync(`tests/fixtures/quotes/${f}`, "utf8");
const QUOTE_HEADER = "as_of,source,source_type,kind,model_class,model,delivery_month,bid,ask,mid,quantity_tokens";
let o: TestOrg;
let other: TestOrg;
beforeAll(async () => {
  o = await makeOrg("mkt");
  other = await makeOrg("mkt-other");
});

describe("quote import", () => {
  it("imports a CSV all-or-nothing and is idempotent", async () => {
    const r = await importQuotes(o.ctx("PROCUREMENT"), parseQuotesCsv(csv("good.csv")), { fileName: "good.csv" });
    expect(r).toMatchObject({ status: "COMPLETED", rowsAccepted: 5 });
    const q = await prisma.priceQuote.findFirstOrThrow({ where: { organizationId: o.org.id, source: "Broker A" } });
    expect(q.midUsdPerMTokens.toString()).toBe("5");
    expect(q.quantityTokens).toBe(10000000000n);
    const again = await importQuotes(o.ctx("PROCUREMENT"), parseQuotesCsv(csv("good.csv")), { fileName: "good-again.csv" });
    expect(again.status).toBe("DUPLICATE");
    expect(await prisma.priceQuote.count({ where: { organizationId: o.org.id } })).toBe(5);
  });

  it("stores identical batches posted concurrently once", async () => {
    const fresh = await makeOrg("mkt-race");
    const results = await Promise.all(Array.from({ length: 4 }, () => importQuotes(fresh.ctx("PROCUREMENT"), parseQuotesCsv(csv("good.csv")), { fileName: "race.csv" })));
    expect(results.map((r) => r.status).sort()).toEqual(["COMPLETED", "DUPLICATE", "DUPLICATE", "DUPLICATE"]);
    expect(await prisma.priceQuote.count({ where: { organizationId: fresh.org.id } })).toBe(5);
  });

  it("rejects bad quotes with line, column and reason, writing nothing", async () => {
    const before = await prisma.priceQuote.count({ where: { organizationId: o.org.id } });
    const r = await importQuotes(o.ctx("PROCUREMENT"), parseQuotesCsv(csv("bad.csv")), { fileName: "bad.csv" });
    expect(r.status).toBe("REJECTED");
    expect(r.errors).toEqual(expect.arrayContaining([
      { line: 2, column: "ask", reason: "crossed market: ask 4.9 is below bid 5.1" },
      { line: 3, column: "bid", reason: "negative price -1" },
      { line: 4, column: "delivery_month", reason: "delivery 2026-10 is before the quote date" },
      { line: 5, column: "model_class", reason: 'unknown model class "no-such-class"' },
    ]));
    expect(r.errors.find((e) => e.line === 6)?.column).toBe("sourceType");
    expect(await prisma.priceQuote.count({ where: { organizationId: o.org.id } })).toBe(before);
  });

  it("POST /api/v1/quotes validates JSON and triggers a rebuild", async () => {
    signInAs(o.users.PROCUREMENT.id, o.org.id);
    const bad = await call(quotesRoute.POST, "/api/v1/quotes", { method: "POST", body: { quotes: [{ asOf: "2026-11-23T10:00:00Z", source: "B", sourceType: "BROKER", kind: "FORWARD", modelClass: "general-chat", deliveryMonth: "2027-01", bid: "5", ask: "4" }] } });
    expect(bad.status).toBe(201);
    expect(bad.json.status).toBe("REJECTED");
    expect(bad.json.errors[0].reason).toMatch(/crossed/);
    const ok = await call(quotesRoute.POST, "/api/v1/quotes", { method: "POST", body: { quotes: [{ asOf: "2026-11-23T10:00:00Z", source: "B", sourceType: "BROKER", kind: "FORWARD", modelClass: "general-chat", deliveryMonth: "2027-01", bid: "4.6", ask: "4.8" }] } });
    expect(ok.json.status).toBe("COMPLETED");
    expect(enqueued).toContain(`${o.org.id}:quotes`);
    const shape = await call(quotesRoute.POST, "/api/v1/quotes", { method: "POST", body: { quotes: [] } });
    expect(shape.status).toBe(422);
    expect(shape.json.error.issues[0].path).toBe("body.quotes");
    // impossible months and dates are a 422 naming the field, never a 500 or a silently shifted date
    const q = { asOf: "2026-11-23T10:00:00Z", source: "B", sourceType: "BROKER", kind: "FORWARD", modelClass: "general-chat", deliveryMonth: "2027-01", bid: "4.6", ask: "4.8" };
    for (const [field, value] of [["deliveryMonth", "2026-13"], ["deliveryMonth", "9999-99"], ["asOf", "1"], ["asOf", "2017-02-30"], ["asOf", "0000-01-01"]] as const) {
      const r = await call(quotesRoute.POST, "/api/v1/quotes", { method: "POST", body: { quotes: [{ ...q, [field]: value }] } });
      expect(r.status, `${field}=${value}`).toBe(422);
      expect(r.json.error.issues[0].path).toBe(`body.quotes.0.${field}`);
    }
  });

  it("CSV upload route refuses a missing header column", async () => {
    signInAs(o.users.PROCUREMENT.id, o.org.id);
    const r = await call(uploadRoute.POST, "/api/v1/quotes/upload?fileName=x.csv", { method: "POST", raw: "as_of,source\n2026-01-01,x\n" });
    expect(r.status).toBe(422);
    expect(r.json.error.message).toMatch(/Missing column\(s\): source_type, model_class/);
  });
});

describe("curve rebuild", () => {
  it("stores one curve per class and day, replacing a same-day rebuild, from quotes known by then (no usage: spot observed)", async () => {
    const res = await rebuildCurves(o.org.id, new Date("2026-11-24T12:00:00Z"));
    expect(res.curves).toEqual([{ modelClass: "general-chat", points: 12, flagged: expect.any(Number), excludedQuotes: 0, spotBasis: "OBSERVED" }]);
    await rebuildCurves(o.org.id, new Date("2026-11-24T18:00:00Z"));
    const curves = await prisma.forwardCurve.findMany({ where: { organizationId: o.org.id }, include: { points: { orderBy: { deliveryMonth: "asc" } } } });
    expect(curves).toHaveLength(1);
    const pts = curves[0].points;
    expect(pts[0]).toMatchObject({ kind: "QUOTED", quoteCount: 2 });
    expect(pts[0].deliveryMonth.toISOString().slice(0, 7)).toBe("2026-12");
    expect(pts[1]).toMatchObject({ kind: "QUOTED", quoteCount: 1, thin: true });
    expect(pts[2]).toMatchObject({ kind: "INTERPOLATED" });
    expect(pts[11]).toMatchObject({ kind: "EXTRAPOLATED" });
    // spot = weighted mean of the list (5.2) and realized (5.0) observations
    expect(Number(curves[0].spotUsdPerMTokens)).toBeGreaterThan(5.0);
    expect(Number(curves[0].spotUsdPerMTokens)).toBeLessThan(5.2);
    // as of a day before any quote: reported with no points, nothing stored
    const early = await rebuildCurves(o.org.id, new Date("2026-11-01T00:00:00Z"));
    expect(early.curves).toEqual([{ modelClass: "general-chat", points: 0, flagged: 0, excludedQuotes: 0, spotBasis: null }]);
    expect(await prisma.forwardCurve.count({ where: { organizationId: o.org.id, asOf: new Date("2026-11-01") } })).toBe(0);
  });

  it("flags model drift when a version behind the class changed within the quote window", async () => {
    await prisma.modelVersion.create({ data: { organizationId: o.org.id, modelId: o.gpt.id, version: "v1", effectiveFrom: new Date("2025-01-01") } });
    await prisma.modelVersion.create({ data: { organizationId: o.org.id, modelId: o.gpt.id, version: "v2", effectiveFrom: new Date("2026-11-10") } });
    await rebuildCurves(o.org.id, new Date("2026-11-24T12:00:00Z"));
    const p = await prisma.curvePoint.findFirstOrThrow({ where: { curve: { organizationId: o.org.id } } });
    expect(p.driftNote).toBe("drift: OpenAI gpt-4.1 version changed on 2026-11-10 (v2)");
  });

  it("the curves.rebuild job logs its run for admins", async () => {
    await HANDLERS[JOBS.rebuildCurves]!({ orgId: o.org.id });
    const run = await prisma.jobRun.findFirstOrThrow({ where: { organizationId: o.org.id, name: JOBS.rebuildCurves }, orderBy: { startedAt: "desc" } });
    expect(run.status).toBe("SUCCEEDED");
    expect(run.durationMs).not.toBeNull();
  });

  it("curves are org-scoped", async () => {
    signInAs(other.users.CFO.id, other.org.id);
    const r = await call(curvesRoute.GET, "/api/v1/curves");
    expect(r.json).toEqual([{ modelClass: "general-chat", curve: null }]);
  });
});

describe("index spot and outlier screen", () => {
  let ix: TestOrg;
  beforeAll(async () => {
    ix = await makeOrg("mkt-ix");
    // two days of usage in the index window, and one day long before it (outside the 30 days: ignored)
    const usage = [
      "date,team,provider,model,input_tokens,output_tokens,cached_input_tokens,requests",
      "2026-10-01,Support,OpenAI,gpt-4.1,9000000000,0,0,1",
      ...["2026-11-22", "2026-11-23"].flatMap((d) => [`${d},Support,OpenAI,gpt-4.1,1000000,250000,200000,10`, `${d},Search,OpenAI,gpt-4.1-mini,3000000,500000,0,10`]),
    ].join("\n");
    const u = await importUsage(ix.ctx("ADMIN"), { fileName: "mix.csv", body: Readable.from([Buffer.from(usage)]), mode: "commit", onErrors: "reject" });
    expect(u.status).toBe("COMPLETED");
    const at = (d: string) => `${d}T15:00:00Z`;
    const days = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `2026-11-${from + i}`);
    const rows = [
      QUOTE_HEADER,
      // spot observations around 1.26 from two desks every day, and three one-off observations 55% below
      ...days(16, 23).flatMap((d) => [`${at(d)},Desk A,BROKER,SPOT_REALIZED,general-chat,,,,,1.25,`, `${at(d)},Desk B,BROKER,SPOT_REALIZED,general-chat,,,,,1.27,`]),
      ...["2026-11-17", "2026-11-19", "2026-11-21"].map((d) => `${at(d)},Stray desk,BROKER,SPOT_REALIZED,general-chat,,,,,0.57,`),
      // December forwards at 1.21 from two brokers every day, and three one-off quotes 55% below
      ...days(18, 23).flatMap((d) => [`${at(d)},Broker A,BROKER,FORWARD,general-chat,,2026-12,1.20,1.22,,`, `${at(d)},Broker B,BROKER,FORWARD,general-chat,,2026-12,1.20,1.22,,`]),
      ...["2026-11-18", "2026-11-20", "2026-11-22"].map((d) => `${at(d)},Stray desk,BROKER,FORWARD,general-chat,,2026-12,,,0.55,`),
    ].join("\n");
    const q = await importQuotes(ix.ctx("PROCUREMENT"), parseQuotesCsv(rows), { fileName: "ix.csv" });
    expect(q).toMatchObject({ status: "COMPLETED", rowsAccepted: 34 });
  });

  it("spot is the class's list price blended by the org's 30-day mix (hand-computed), the observed spot kept beside it", async () => {
    // gpt-4.1 a day: 0.8M × 2 + 0.2M cached × 2 (no cached rate listed) + 0.25M × 8 = 4 USD for 1.25M tokens
    // gpt-4.1-mini a day: 3M × 0.4 + 0.5M × 1.6 = 2 USD for 3.5M tokens → 2 days: 12 USD / 9.5M tokens = 1.263158 per 1M
    const res = await rebuildCurves(ix.org.id, new Date("2026-11-23T12:00:00Z"));
    expect(res.curves).toEqual([{ modelClass: "general-chat", points: 12, flagged: expect.any(Number), excludedQuotes: 6, spotBasis: "LIST_INDEX" }]);
    const c = await prisma.forwardCurve.findFirstOrThrow({ where: { organizationId: ix.org.id, asOf: new Date("2026-11-23") } });
    expect(c.spotUsdPerMTokens!.toString()).toBe("1.263158");
    const meta = readCurveMeta(c.params);
    expect(meta.index).toMatchObject({
      definition: "LIST_BLENDED_ORG_MIX", windowDays: 30, windowFrom: "2026-10-25", windowTo: "2026-11-23",
      priceUsdPerMTokens: "1.263158", totalTokens: "9500000", listCostUsd: "12.000000",
      // uncached input 7.6M, cached 0.4M, output 1.5M of 9.5M
      mix: { input: "0.8", cachedInput: "0.042105", output: "0.157895" },
    });
    expect(meta.index!.weights.map((w) => [w.model, w.share, w.blendedUsdPerMTokens])).toEqual([["OpenAI gpt-4.1-mini", "0.736842", "0.571429"], ["OpenAI gpt-4.1", "0.263158", "3.200000"]]);
    // observed spot: the desks' 1.25 / 1.27 without the strays
    expect(meta.spot).toEqual({ basis: "LIST_INDEX", observedUsdPerMTokens: "1.260000", observedCount: 16 });
    expect(meta.staleDays).toBe(14); // the builder parameters stay at the top level
  });

  it("prices the window's usage at the list price in force on the index day", async () => {
    // gpt-4.1 cut to 1 / 4 (cached 0.25) from 2026-11-24: a day is 0.8M × 1 + 0.2M × 0.25 + 0.25M × 4 = 1.85 USD
    // → (1.85 + 2) × 2 / 9.5M = 0.810526 per 1M, although the usage happened before the cut
    await prisma.modelPrice.create({ data: { organizationId: ix.org.id, modelId: ix.gpt.id, effectiveFrom: new Date("2026-11-24"), inputUsdPerMTokens: "1", outputUsdPerMTokens: "4", cachedInputUsdPerMTokens: "0.25" } });
    await rebuildCurves(ix.org.id, new Date("2026-11-24T12:00:00Z"));
    const c = await prisma.forwardCurve.findFirstOrThrow({ where: { organizationId: ix.org.id, asOf: new Date("2026-11-24") } });
    expect(c.spotUsdPerMTokens!.toString()).toBe("0.810526");
    const before = await prisma.forwardCurve.findFirstOrThrow({ where: { organizationId: ix.org.id, asOf: new Date("2026-11-23") } });
    expect(before.spotUsdPerMTokens!.toString()).toBe("1.263158");
  });

  it("stores the six stray quotes the screen excluded, with the reason, and the market view shows them", async () => {
    const c = await prisma.forwardCurve.findFirstOrThrow({ where: { organizationId: ix.org.id, asOf: new Date("2026-11-24") }, include: { points: { orderBy: { deliveryMonth: "asc" } } } });
    const meta = readCurveMeta(c.params);
    expect(meta.excludedCount).toBe(6);
    expect(meta.excluded!.map((e) => e.source)).toEqual(Array(6).fill("Stray desk"));
    expect(meta.excluded!.filter((e) => e.deliveryMonth === "2026-12")).toHaveLength(3);
    // the stray of 22 Nov: 13 quotes in the 7 days before it (10 × 1.21 and the strays of 18, 20, 22 Nov), median 1.21,
    // MAD 0 → floor 5%; limit 3.5 × 1.4826 × 5% = 25.9%; (0.55 − 1.21) / 1.21 = −54.5%
    expect(meta.excluded!.find((e) => e.deliveryMonth === "2026-12" && e.asOf.startsWith("2026-11-22"))).toEqual({
      source: "Stray desk", asOf: "2026-11-22T15:00:00.000Z", deliveryMonth: "2026-12", mid: "0.550000", median: "1.210000", deviationPct: "-54.5",
      // and no market move: the desks' and brokers' quotes that afternoon sit 0, +1.6% (1.27 against 1.25), 0, 0 from their medians
      reason: "mid 0.55 is 55% below the median 1.21 of the 2026-12 quotes made within 7 days before it (13 quotes; limit ±25.9%); other sources' quotes within 12 hours of it: +0.0% from their medians",
    });
    // December is the weighted mean of the twelve broker quotes only
    expect(c.points[0]).toMatchObject({ kind: "QUOTED", quoteCount: 12 });
    expect(c.points[0].priceUsdPerMTokens.toString()).toBe("1.21");
    const view = (await curveView(ix.ctx("CFO"), "general-chat"))!;
    expect(view.excludedCount).toBe(6);
    expect(view.index?.priceUsdPerMTokens).toBe("0.810526");
    expect(view.indexIsLive).toBe(false);
  });
});
