import { beforeAll, describe, expect, it, vi } from "vitest";
import Decimal from "decimal.js";
import { prisma } from "@/lib/db/client";
import { makeOrg, type TestOrg } from "./fixtures";
import { call, signInAs } from "./route";
import * as contractsRoute from "@/app/api/v1/contracts/route";
import * as contractRoute from "@/app/api/v1/contracts/[id]/route";
import * as approveRoute from "@/app/api/v1/contracts/[id]/approve/route";
import * as rejectRoute from "@/app/api/v1/contracts/[id]/reject/route";
import * as cpRoute from "@/app/api/v1/counterparties/route";
import * as termsRoute from "@/app/api/v1/contracts/[id]/service-terms/route";

vi.mock("next-auth", async (o) => ({ ...(await o<object>()), getServerSession: async () => (await import("./route")).session.current }));
vi.mock("@/lib/jobs/queue", async (o) => ({ ...(await o<object>()), enqueue: async () => "job-1", enqueueFollowUp: async () => undefined }));

let o: TestOrg;
let other: TestOrg;
let cpId: string;
const nextMonth = (() => {
  const d = new Date();
  return { start: new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)).toISOString().slice(0, 10), end: new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 2, 0)).toISOString().slice(0, 10) };
})();

beforeAll(async () => {
  o = await makeOrg("ctr");
  other = await makeOrg("ctr-other");
  // approval threshold 250,000 (default policy), lot 1B tokens
  const cp = await prisma.counterparty.create({ data: { organizationId: o.org.id, name: "Acme Capacity Desk", rating: "A", limitUsd: "1000000" } });
  cpId = cp.id;
});

const body = (over: Record<string, unknown> = {}) => ({
  providerId: o.provider.id, modelClassId: o.cls.id, counterpartyId: cpId, quantityTokens: "10000000000", windowStart: nextMonth.start, windowEnd: nextMonth.end,
  strikeUsdPerMTokens: "2.5", settlement: "FINANCIAL", substitutionRule: "SUCCESSOR_SAME_STRIKE", ...over,
});
const book = (b: object, key: string) => call(contractsRoute.POST, "/api/v1/contracts", { method: "POST", body: b, headers: { "idempotency-key": key } });

describe("booking", () => {
  it("books below the threshold at once, with CREATED and BOOKED events", async () => {
    signInAs(o.users.PROCUREMENT.id, o.org.id);
    const r = await book(body(), "key-small-0001");
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ status: "BOOKED", notionalUsd: "25000.00", quantityTokens: "10000000000", reference: expect.stringMatching(/^TH-\d{4}-\d{5}$/) });
    expect(r.json.events.map((e: { type: string }) => e.type)).toEqual(["CREATED", "BOOKED"]);
  });

  it("names the field for each business rule", async () => {
    signInAs(o.users.PROCUREMENT.id, o.org.id);
    const cases: [object, string][] = [
      [body({ windowStart: "2020-01-01", windowEnd: "2020-01-31" }), "body.windowStart"],
      [body({ windowEnd: "2031-01-31" }), "body.windowEnd"],
      [body({ quantityTokens: "1500000000" }), "body.quantityTokens"],
      [body({ quantityTokens: "0" }), "body.quantityTokens"],
      [body({ strikeUsdPerMTokens: "0" }), "body.strikeUsdPerMTokens"],
      [body({ counterpartyId: "nope" }), "body.counterpartyId"],
      [body({ modelClassId: other.cls.id }), "body.modelClassId"],
      [body({ windowEnd: "2019-01-01" }), "body.windowEnd"],
      [body({ quantityTokens: "500000000000" }), "body.counterpartyId"], // 1.25M notional > 1M limit
    ];
    for (const [b, path] of cases) {
      const r = await book(b, `key-bad-${Math.random()}`);
      expect(r.status, path).toBe(422);
      expect(r.json.error.issues.map((i: { path: string }) => i.path), JSON.stringify(r.json)).toContain(path);
    }
    expect((await call(contractsRoute.POST, "/api/v1/contracts", { method: "POST", body: body() })).json.error.issues[0].path).toBe("body.idempotencyKey");
  });

  it("is idempotent: 100 concurrent identical submissions create exactly one contract; a different body with the key is a 422", async () => {
    signInAs(o.users.PROCUREMENT.id, o.org.id);
    const b = body({ quantityTokens: "2000000000" });
    const results = await Promise.all(Array.from({ length: 100 }, () => book(b, "key-concurrent-0001")));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 200)).toHaveLength(99);
    expect(new Set(results.map((r) => r.json.id)).size).toBe(1);
    expect(await prisma.contract.count({ where: { organizationId: o.org.id, idempotencyKey: "key-concurrent-0001" } })).toBe(1);
    const mismatch = await book(body({ quantityTokens: "3000000000" }), "key-concurrent-0001");
    expect(mismatch.status).toBe(422);
    expect(mismatch.json.error.issues[0].path).toBe("body.idempotencyKey");
  });
});

describe("four eyes", () => {
  it("above the threshold waits for a CFO who is not the booker; approve and reject are events; illegal moves are 409", async () => {
    // the CFO books (as procurement would) — and still cannot approve their own contract
    await prisma.membership.update({ where: { organizationId_userId: { organizationId: o.org.id, userId: o.users.CFO.id } }, data: { role: "PROCUREMENT" } });
    signInAs(o.users.CFO.id, o.org.id);
    const big = await book(body({ quantityTokens: "200000000000" }), "key-big-0001"); // 500,000 USD
    expect(big.status).toBe(201);
    expect(big.json.status).toBe("PENDING_APPROVAL");
    await prisma.membership.update({ where: { organizationId_userId: { organizationId: o.org.id, userId: o.users.CFO.id } }, data: { role: "CFO" } });
    const own = await call(approveRoute.POST, "/x", { method: "POST", body: {}, params: { id: big.json.id } });
    expect(own.status).toBe(403);
    expect(own.json.error.message).toMatch(/four eyes/);
    signInAs(o.users.PROCUREMENT.id, o.org.id);
    expect((await call(approveRoute.POST, "/x", { method: "POST", body: {}, params: { id: big.json.id } })).status).toBe(403);
    // a second CFO approves
    const cfo2 = await prisma.user.create({ data: { email: `cfo2-${o.org.slug}@x.test`, name: "Second CFO", passwordHash: "x" } });
    await prisma.membership.create({ data: { organizationId: o.org.id, userId: cfo2.id, role: "CFO" } });
    signInAs(cfo2.id, o.org.id);
    const ok = await call(approveRoute.POST, "/x", { method: "POST", body: { comment: "within budget" }, params: { id: big.json.id } });
    expect(ok.status).toBe(200);
    expect(ok.json.status).toBe("BOOKED");
    expect(ok.json.events.at(-1)).toMatchObject({ type: "APPROVED", actorName: "Second CFO", comment: "within budget", before: { status: "PENDING_APPROVAL" }, after: { status: "BOOKED" } });
    const again = await call(approveRoute.POST, "/x", { method: "POST", body: {}, params: { id: big.json.id } });
    expect(again.status).toBe(409);
    expect(again.json.error.message).toMatch(/Cannot approve a contract that is booked/);
    // reject needs a reason
    signInAs(o.users.PROCUREMENT.id, o.org.id);
    const big2 = await book(body({ quantityTokens: "120000000000" }), "key-big-0002");
    signInAs(cfo2.id, o.org.id);
    expect((await call(rejectRoute.POST, "/x", { method: "POST", body: {}, params: { id: big2.json.id } })).json.error.issues[0].path).toBe("body.comment");
    const rej = await call(rejectRoute.POST, "/x", { method: "POST", body: { comment: "too concentrated" }, params: { id: big2.json.id } });
    expect(rej.json.status).toBe("REJECTED");
    const cancel = await call(contractRoute.DELETE, "/x", { method: "DELETE", params: { id: big2.json.id } });
    expect(cancel.status).toBe(409);
  });
});

describe("access and isolation", () => {
  it("team leads get 403 on every contract route; another org gets 404 for our ids and sees none in lists", async () => {
    const any = await prisma.contract.findFirstOrThrow({ where: { organizationId: o.org.id } });
    signInAs(o.users.TEAM_LEAD.id, o.org.id);
    expect((await call(contractsRoute.GET, "/api/v1/contracts")).status).toBe(403);
    expect((await book(body(), "key-lead-0001")).status).toBe(403);
    expect((await call(contractRoute.GET, "/x", { params: { id: any.id } })).status).toBe(403);
    expect((await call(contractRoute.DELETE, "/x", { method: "DELETE", params: { id: any.id } })).status).toBe(403);
    expect((await call(approveRoute.POST, "/x", { method: "POST", body: {}, params: { id: any.id } })).status).toBe(403);
    expect((await call(cpRoute.GET, "/api/v1/counterparties")).status).toBe(403);
    signInAs(other.users.CFO.id, other.org.id);
    expect((await call(contractRoute.GET, "/x", { params: { id: any.id } })).status).toBe(404);
    expect((await call(approveRoute.POST, "/x", { method: "POST", body: {}, params: { id: any.id } })).status).toBe(404);
    expect((await call(contractsRoute.GET, "/api/v1/contracts")).json.total).toBe(0);
    expect(await call(cpRoute.GET, "/api/v1/counterparties").then((r) => r.json)).toEqual([]);
  });

  it("blotter filters and paginates; counterparty exposure counts open notional", async () => {
    signInAs(o.users.CFO.id, o.org.id);
    const all = await call(contractsRoute.GET, "/api/v1/contracts?pageSize=2&sort=reference&dir=asc");
    expect(all.json.items).toHaveLength(2);
    expect(all.json.total).toBe(4);
    const booked = await call(contractsRoute.GET, "/api/v1/contracts?status=BOOKED");
    expect(booked.json.items.every((c: { status: string }) => c.status === "BOOKED")).toBe(true);
    const cps = (await call(cpRoute.GET, "/api/v1/counterparties")).json;
    // open: 25,000 + 5,000 + 500,000 (approved) = 530,000; rejected one does not count
    expect(cps[0]).toMatchObject({ exposureUsd: "530000.00", limitUsedPct: "53.0" });
    expect((await call(contractsRoute.GET, "/api/v1/contracts?status=WRONG")).json.error.issues[0].path).toBe("query.status");
  });
});

describe("model drift", () => {
  it("a new model version in the class flags every open contract with an event naming its substitution rule", async () => {
    const { addModelVersion } = await import("@/lib/services/catalog");
    const open = await prisma.contract.findMany({ where: { organizationId: o.org.id, status: { in: ["BOOKED", "PENDING_APPROVAL", "DELIVERING"] } } });
    expect(open.length).toBeGreaterThan(0);
    await addModelVersion(o.ctx("ADMIN"), o.gpt.id, { version: "2026-12-preview", effectiveFrom: new Date(Date.now() + 86_400_000).toISOString().slice(0, 10) } as never);
    for (const c of open) {
      const ev = await prisma.contractEvent.findMany({ where: { contractId: c.id, type: "DRIFT_FLAGGED" } });
      expect(ev).toHaveLength(1);
      expect(ev[0].after).toMatchObject({ version: "2026-12-preview", substitutionRule: c.substitutionRule });
    }
    const rejected = await prisma.contract.findFirstOrThrow({ where: { organizationId: o.org.id, status: "REJECTED" } });
    expect(await prisma.contractEvent.count({ where: { contractId: rejected.id, type: "DRIFT_FLAGGED" } })).toBe(0);
    signInAs(o.users.PROCUREMENT.id, o.org.id);
    const detail = await call(contractRoute.GET, "/x", { params: { id: open[0].id } });
    expect(detail.json.drift).toMatchObject({ rule: expect.stringMatching(/Successor model|Cash-settle|Manual review/) });
  });
});

describe("counterparty exposure", () => {
  it("adds what the counterparty owes us (positive latest marks) to open notional; concentration stays on notional", async () => {
    signInAs(o.users.CFO.id, o.org.id);
    const before = (await call(cpRoute.GET, "/api/v1/counterparties")).json[0];
    const c = await prisma.contract.findFirstOrThrow({ where: { organizationId: o.org.id, status: "BOOKED", counterpartyId: cpId } });
    await prisma.contractMark.create({ data: { organizationId: o.org.id, contractId: c.id, asOf: new Date("2026-11-01"), valueUsd: "999", realisedUsd: "0", unrealisedUsd: "999", periods: [] } });
    await prisma.contractMark.create({ data: { organizationId: o.org.id, contractId: c.id, asOf: new Date("2026-11-02"), valueUsd: "1234.5", realisedUsd: "0", unrealisedUsd: "1234.5", periods: [] } });
    const after = (await call(cpRoute.GET, "/api/v1/counterparties")).json[0];
    expect(after.owedToUsUsd).toBe("1234.50");
    expect(after.exposureUsd).toBe(new Decimal(before.exposureUsd).add("1234.5").toFixed(2));
    expect(after.concentrationPct).toBe(before.concentrationPct);
  });
});

describe("capacity and service terms", () => {
  const terms = {
    reservedTokensPerMinute: "250000", uptimeCommitmentPct: "99.9", latencyP95Ms: 1500, supportTier: "ENTERPRISE",
    serviceCreditRule: { tiers: [{ metric: "UPTIME", belowPct: "99.9", creditPct: "10" }, { metric: "UPTIME", belowPct: "99", creditPct: "25" }, { metric: "LATENCY_P95", aboveMs: 2500, creditPct: "5" }], monthlyCapPct: "30" },
  };

  it("are booked with the product, shown on the contract and the blotter, and part of the idempotent request", async () => {
    signInAs(o.users.PROCUREMENT.id, o.org.id);
    const r = await book(body({ quantityTokens: "1000000000", serviceTerms: terms }), "key-terms-0001");
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    expect(r.json.serviceTerms).toEqual({
      reservedTokensPerMinute: "250000", uptimeCommitmentPct: "99.900", latencyP95Ms: 1500, supportTier: "ENTERPRISE", serviceCreditRule: terms.serviceCreditRule,
      serviceCreditText: "uptime below 99.9%: 10%; uptime below 99%: 25%; p95 latency above 2500 ms: 5% of the month's contract value (deepest tier per metric; capped at 30% a month)",
    });
    const product = await prisma.contractProduct.findFirstOrThrow({ where: { contract: { id: r.json.id } } });
    expect(product).toMatchObject({ reservedTokensPerMinute: 250000n, latencyP95Ms: 1500, supportTier: "ENTERPRISE" });
    expect(product.uptimeCommitmentPct?.toString()).toBe("99.9");
    expect(r.json.events[0].after.serviceTerms).toMatchObject({ reservedTokensPerMinute: "250000", uptimeCommitmentPct: "99.900" });
    // same key, same body: the first result; same key, other terms: 422
    expect((await book(body({ quantityTokens: "1000000000", serviceTerms: terms }), "key-terms-0001")).status).toBe(200);
    const changed = await book(body({ quantityTokens: "1000000000", serviceTerms: { ...terms, latencyP95Ms: 1400 } }), "key-terms-0001");
    expect(changed.status).toBe(422);
    expect(changed.json.error.code).toBe("idempotency_mismatch");
    // without terms: null; an empty object is no terms
    const plain = await book(body({ quantityTokens: "1000000000", serviceTerms: {} }), "key-terms-0002");
    expect(plain.json.serviceTerms).toBeNull();
    const list = await call(contractsRoute.GET, "/api/v1/contracts?pageSize=200");
    expect(list.json.items.find((x: { id: string }) => x.id === r.json.id).serviceTerms.reservedTokensPerMinute).toBe("250000");
  });

  it("name the field when invalid", async () => {
    signInAs(o.users.PROCUREMENT.id, o.org.id);
    const cases: [object, string][] = [
      [{ reservedTokensPerMinute: "-5" }, "body.serviceTerms.reservedTokensPerMinute"],
      [{ uptimeCommitmentPct: "100.5" }, "body.serviceTerms.uptimeCommitmentPct"],
      [{ latencyP95Ms: 1.5 }, "body.serviceTerms.latencyP95Ms"],
      [{ supportTier: "GOLD" }, "body.serviceTerms.supportTier"],
      [{ uptimeNote: "free text" }, "body.serviceTerms"],
      // a tier needs the commitment it refers to, thresholds on the right side of it, credits within the cap
      [{ serviceCreditRule: { tiers: [{ metric: "LATENCY_P95", aboveMs: 2000, creditPct: "5" }], monthlyCapPct: "10" } }, "body.serviceTerms.serviceCreditRule.tiers.0.metric"],
      [{ uptimeCommitmentPct: "99.5", serviceCreditRule: { tiers: [{ metric: "UPTIME", belowPct: "99.9", creditPct: "5" }], monthlyCapPct: "10" } }, "body.serviceTerms.serviceCreditRule.tiers.0.belowPct"],
      [{ latencyP95Ms: 1000, serviceCreditRule: { tiers: [{ metric: "LATENCY_P95", aboveMs: 2000, creditPct: "50" }], monthlyCapPct: "10" } }, "body.serviceTerms.serviceCreditRule.tiers.0.creditPct"],
      [{ latencyP95Ms: 1000, serviceCreditRule: { tiers: [], monthlyCapPct: "10" } }, "body.serviceTerms.serviceCreditRule.tiers"],
      [{ latencyP95Ms: 1000, serviceCreditRule: { tiers: [{ metric: "SPEED", aboveMs: 2000, creditPct: "5" }], monthlyCapPct: "10" } }, "body.serviceTerms.serviceCreditRule.tiers.0.metric"],
    ];
    for (const [t, path] of cases) {
      const r = await book(body({ quantityTokens: "1000000000", serviceTerms: t }), `key-bad-terms-${path.length}-${JSON.stringify(t).length}`);
      expect(r.status, `${JSON.stringify(t)} → ${JSON.stringify(r.json)}`).toBe(422);
      expect(r.json.error.issues.map((i: { path: string }) => i.path), JSON.stringify(t)).toContain(path);
    }
  });

  it("are amended with a SERVICE_TERMS_AMENDED event and an audit row; unchanged or closed is 409; team lead 403", async () => {
    signInAs(o.users.PROCUREMENT.id, o.org.id);
    const r = await book(body({ quantityTokens: "1000000000", serviceTerms: terms }), "key-terms-0003");
    const put = (b: object) => call(termsRoute.PUT, "/x", { method: "PUT", body: b, params: { id: r.json.id } });
    expect((await put({ serviceTerms: { ...terms, reservedTokensPerMinute: "300000" } })).json.error.issues[0].path).toBe("body.comment");
    const amended = await put({ serviceTerms: { ...terms, reservedTokensPerMinute: "300000" }, comment: "Desk agreed 300K/min on the call of today" });
    expect(amended.status, JSON.stringify(amended.json)).toBe(200);
    expect(amended.json.serviceTerms.reservedTokensPerMinute).toBe("300000");
    const ev = amended.json.events.at(-1);
    expect(ev).toMatchObject({ type: "SERVICE_TERMS_AMENDED", comment: "Desk agreed 300K/min on the call of today", before: { serviceTerms: { reservedTokensPerMinute: "250000" } }, after: { serviceTerms: { reservedTokensPerMinute: "300000" } } });
    expect(await prisma.auditEvent.count({ where: { organizationId: o.org.id, action: "contract.service-terms", entityId: r.json.id } })).toBe(1);
    expect((await put({ serviceTerms: { ...terms, reservedTokensPerMinute: "300000" }, comment: "same again" })).status).toBe(409);
    const removed = await put({ serviceTerms: null, comment: "Reservation dropped by the desk" });
    expect(removed.json.serviceTerms).toBeNull();
    signInAs(o.users.TEAM_LEAD.id, o.org.id);
    expect((await put({ serviceTerms: terms, comment: "team lead tries" })).status).toBe(403);
    signInAs(other.users.PROCUREMENT.id, other.org.id);
    expect((await put({ serviceTerms: terms, comment: "other org tries" })).status).toBe(404);
    signInAs(o.users.PROCUREMENT.id, o.org.id);
    await call(contractRoute.DELETE, "/x", { method: "DELETE", params: { id: r.json.id } });
    expect((await put({ serviceTerms: terms, comment: "after cancel" })).status).toBe(409);
    expect(await prisma.contractEvent.count({ where: { contractId: r.json.id, type: "SERVICE_TERMS_AMENDED" } })).toBe(2);
  });
});
