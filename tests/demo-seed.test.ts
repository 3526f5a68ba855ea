import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { expectStorageConsistent, usageRecords } from "./usage-db";
import { seedDemo } from "@/lib/demo/seed";
import { demoUsageCsv } from "@/lib/demo/usage";

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
