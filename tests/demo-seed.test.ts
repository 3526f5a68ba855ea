import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { expectStorageConsistent, usageRecords } from "./usage-db";
import { seedDemo } from "@/lib/demo/seed";
import { demoUsageCsv } from "@/lib/demo/usage";
import { hedgeAccounting } from "@/lib/services/hedging/accounting";
import { curvesAsOf } from "@/lib/services/market-snapshot";
import { moneyString } from "@/lib/domain/money";

describe("demo organization", () => {
  it("generates the same bytes for the same end date (deterministic)", () => {
    const end = new Date("2026-06-30T00:00:00Z");
    const a = [...demoUsageCsv(end, 30)].join("");
    const b = [...demoUsageCsv(end, 30)].join("");
    expect(a).toBe(b);
    expect(a.split("\n")[0]).toBe("date,team,provider,model,input_tokens,output_tokens,cached_input_tokens,requests");
  });

  it("is seeded once through the real import path, labelled demo, with launches and churn", async () => {
    const today = new Date("2026-11-24T00:00:00Z");
    const first = await seedDemo({ today, slug: "demo-test", emailDomain: "demo-test.tokenhedge.test" });
    expect(first.created).toBe(true);
    const again = await seedDemo({ today, slug: "demo-test", emailDomain: "demo-test.tokenhedge.test" });
    expect(again).toEqual({ orgId: first.orgId, created: false });
    const org = await prisma.organization.findUniqueOrThrow({ where: { id: first.orgId } });
    expect(org.isDemo).toBe(true);
    // demo contracts are booked through the booking service: one waits for the CFO, each has its events
    const contracts = await prisma.contract.findMany({ where: { organizationId: org.id }, include: { events: true } });
    // the contract for last month has settled (its window ended); the others wait for theirs. Five more were booked
    // on past days (lib/demo/marks.ts): one has settled, four are delivering
    expect(contracts.map((c) => c.status).sort()).toEqual(["BOOKED", "BOOKED", "BOOKED", "DELIVERING", "DELIVERING", "DELIVERING", "DELIVERING", "PENDING_APPROVAL", "SETTLED", "SETTLED"]);
    const settled = contracts.find((c) => c.idempotencyKey === "demo-expired-1")!;
    expect(settled.status).toBe("SETTLED");
    expect(await prisma.settlement.count({ where: { contractId: settled.id } })).toBe(1);
    expect(settled.events.map((e) => e.type)).toEqual(expect.arrayContaining(["CREATED", "BOOKED", "DELIVERY_STARTED", "PERIOD_SETTLED", "SETTLED"]));
    for (const c of contracts) expect(c.events.length).toBeGreaterThanOrEqual(2);
    // the frontier contract booked 120 days ago (2026-07-27) is designated that day by the demo CFO, through the
    // designation service as of that day: its forwards are the curve in force then, the forecast is that day's
    const hedge = contracts.find((c) => c.idempotencyKey === "demo-hist-frontier-1")!;
    const designation = await prisma.hedgeDesignation.findUniqueOrThrow({ where: { contractId: hedge.id } });
    expect(designation.designatedAt.toISOString()).toBe("2026-07-27T11:00:00.000Z");
    expect(designation.designatedByName).toBe("Carla CFO");
    expect(designation.riskManagementObjective).toMatch(/^Demo designation \(seeded\)/);
    expect(await prisma.hedgeDesignation.count({ where: { organizationId: org.id } })).toBe(1);
    expect(await prisma.forecast.count({ where: { organizationId: org.id, asOf: new Date("2026-07-27T00:00:00Z") } })).toBeGreaterThan(0);
    expect(hedge.events.filter((e) => e.type === "DESIGNATED").map((e) => [e.at.toISOString(), e.actorName])).toEqual([["2026-07-27T11:00:00.000Z", "Carla CFO"]]);
    expect(await prisma.auditEvent.count({ where: { organizationId: org.id, action: "hedge.designate", entityId: hedge.id } })).toBe(1);
    const acct = await hedgeAccounting({ orgId: org.id }, hedge.id);
    expect(acct.designation.prospective.passed).toBe(true);
    const curveThen = (await curvesAsOf(org.id, new Date("2026-07-27T00:00:00Z"), [(await prisma.contractProduct.findFirstOrThrow({ where: { contract: { id: hedge.id } } })).modelClassId]))
      .values().next().value!;
    expect(acct.designation.months.map((m) => [m.month, m.forwardUsdPerMTokens])).toEqual(
      ["2026-08", "2026-09", "2026-10", "2026-11", "2026-12"].map((m) => [m, moneyString(curveThen.prices.get(m)!.toString())]),
    );
    // Aug–Oct have settled, so each has its dollar-offset ratio; Nov and Dec wait for their settlement
    expect(acct.effectiveness.map((r) => r.month)).toEqual(["2026-08", "2026-09", "2026-10"]);
    expect(acct.pending).toEqual([{ month: "2026-11", reason: "not settled yet" }, { month: "2026-12", reason: "not settled yet" }]);
    for (const r of acct.effectiveness) {
      expect(BigInt(r.usageTokens)).toBeGreaterThan(0n);
      const ratio = Number(r.contractChangeUsd) / Number(r.hedgedItemChangeUsd);
      expect(Number(r.ratioPct)).toBeCloseTo(ratio * 100, 1);
      expect(r.effective).toBe(ratio >= 0.8 && ratio <= 1.25);
      if (!r.effective) expect(r.explanation).toMatch(/outside 80%–125%/);
    }
    expect(acct.effectiveness.some((r) => r.effective)).toBe(true);
    expect(await prisma.recommendation.count({ where: { organizationId: org.id, status: "OPEN" } })).toBeGreaterThan(0);
    // a daily mark history from the first past booking (150 days ago) to today, by the marks job's own code
    const markDays = await prisma.contractMark.groupBy({ by: ["asOf"], where: { organizationId: org.id }, _count: true, orderBy: { asOf: "asc" } });
    expect(markDays.length).toBe(151);
    expect(markDays[0].asOf.toISOString().slice(0, 10)).toBe("2026-06-27");
    // today: every booked or delivering contract is marked
    expect(markDays[markDays.length - 1]._count).toBe(contracts.filter((c) => c.status === "BOOKED" || c.status === "DELIVERING").length);
    const imports = await prisma.import.findMany({ where: { organizationId: org.id }, orderBy: { kind: "asc" } });
    expect(imports.map((i) => [i.kind, i.status, i.format, i.isDemo, i.rowsRejected])).toEqual([
      ["USAGE", "COMPLETED", "tokenhedge", true, 0],
      ["QUOTES", "COMPLETED", "quotes", true, 0],
    ]);
    // curve history: weekly for 26 weeks plus today, per class
    expect(await prisma.forwardCurve.count({ where: { organizationId: org.id } })).toBe(27 * 4);
    expect(await prisma.team.count({ where: { organizationId: org.id } })).toBe(8);
    expect(await prisma.model.count({ where: { organizationId: org.id } })).toBe(11);
    const rows = await usageRecords(org.id);
    const times = rows.map((r) => r.periodStart.getTime());
    expect(new Date(Math.max(...times)).toISOString().slice(0, 10)).toBe("2026-11-23");
    expect(Math.min(...times)).toBeLessThan(new Date("2025-09-01").getTime());
    await expectStorageConsistent(org.id);
    // Mistral churns off 90 days before the end: no usage after that
    const mistral = await prisma.model.findFirstOrThrow({ where: { organizationId: org.id, name: "mistral-large" } });
    const lastMistral = Math.max(...rows.filter((r) => r.modelId === mistral.id).map((r) => r.periodStart.getTime()));
    expect(lastMistral).toBeLessThan(new Date("2026-08-27").getTime());
  }, 240_000);
});
