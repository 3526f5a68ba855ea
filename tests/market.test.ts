import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { prisma } from "@/lib/db/client";
import { importQuotes, parseQuotesCsv } from "@/lib/services/quotes";
import { rebuildCurves } from "@/lib/services/curves";
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
  });

  it("CSV upload route refuses a missing header column", async () => {
    signInAs(o.users.PROCUREMENT.id, o.org.id);
    const r = await call(uploadRoute.POST, "/api/v1/quotes/upload?fileName=x.csv", { method: "POST", raw: "as_of,source\n2026-01-01,x\n" });
    expect(r.status).toBe(422);
    expect(r.json.error.message).toMatch(/Missing column\(s\): source_type, model_class/);
  });
});

describe("curve rebuild", () => {
  it("stores one curve per class and day, replacing a same-day rebuild, from quotes known by then", async () => {
    const res = await rebuildCurves(o.org.id, new Date("2026-11-24T12:00:00Z"));
    expect(res.curves).toEqual([{ modelClass: "general-chat", points: 12, flagged: expect.any(Number) }]);
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
    expect(early.curves).toEqual([{ modelClass: "general-chat", points: 0, flagged: 0 }]);
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
