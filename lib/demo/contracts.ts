/**
 * Demo counterparties and contracts, booked through the same service as real bookings (bookContract,
 * approveContract), labelled as demo by the organization they belong to. One contract's window has ended
 * so the settlement job has something to settle; one large booking waits for the CFO's approval.
 */
import { prisma } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { DAY_MS } from "@/lib/domain/time";
import { bookContract } from "@/lib/services/hedging/contracts";
import type { ServiceTermsInput } from "@/lib/validation/contracts";

const COUNTERPARTIES = [
  { name: "Northwind Compute Desk (demo)", rating: "A", limitUsd: "1500000" },
  { name: "Blue Harbor Capacity (demo)", rating: "BBB", limitUsd: "600000" },
  { name: "Provider direct: prepaid credits (demo)", rating: "AA", limitUsd: "2000000" },
];

const iso = (d: Date) => d.toISOString().slice(0, 10);
const monthStart = (d: Date, add: number) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + add, 1));
const monthEnd = (d: Date, add: number) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + add + 1, 0));

export async function seedDemoContracts(orgId: string, orgName: string, today: Date) {
  const members = await prisma.membership.findMany({ where: { organizationId: orgId }, include: { user: true } });
  const procurement = members.find((m) => m.role === "PROCUREMENT")!;
  const ctx: Ctx = { orgId, orgName, isDemo: true, actorId: procurement.userId, actorName: procurement.user.name, role: "PROCUREMENT", teamId: null };
  const cps: { id: string }[] = [];
  for (const c of COUNTERPARTIES) cps.push(await prisma.counterparty.create({ data: { organizationId: orgId, ...c } }));
  const cls = await prisma.modelClass.findMany({ where: { organizationId: orgId }, include: { models: { select: { providerId: true } } } });
  const byKey = (k: string) => cls.find((c) => c.key === k)!;
  const curveAt = async (classId: string, month: string) => {
    const fc = await prisma.forwardCurve.findFirst({ where: { organizationId: orgId, modelClassId: classId }, orderBy: { asOf: "desc" }, include: { points: true } });
    return fc?.points.find((p) => p.deliveryMonth.toISOString().startsWith(month))?.priceUsdPerMTokens.toString() ?? fc?.spotUsdPerMTokens?.toString() ?? "1";
  };
  const book = async (key: string, classKey: string, cp: number, add: number, lots: number, settlement: "FINANCIAL" | "SERVICE_CREDITS", now = today, strike?: string, serviceTerms?: ServiceTermsInput) => {
    const c = byKey(classKey);
    const start = monthStart(now, add);
    return bookContract(
      ctx,
      {
        providerId: c.models[0].providerId, modelClassId: c.id, counterpartyId: cps[cp].id, quantityTokens: String(BigInt(lots) * 1_000_000_000n),
        windowStart: iso(start), windowEnd: iso(monthEnd(now, add)), strikeUsdPerMTokens: strike ?? (await curveAt(c.id, iso(start).slice(0, 7))),
        settlement, substitutionRule: "SUCCESSOR_SAME_STRIKE", notes: "Demo contract", confirmFarFromCurve: true, serviceTerms,
      },
      `demo-${key}`,
      now,
    );
  };
  // booked two months ago for last month: its window has ended, so the settlement job settles it
  const past = new Date(today.getTime() - 62 * DAY_MS);
  // service terms on three: reserved throughput (delivered vs committed, capacity coverage), uptime and latency
  // commitments with credit tiers
  const reserved = (tpm: string, credits: boolean): ServiceTermsInput => ({
    reservedTokensPerMinute: tpm, uptimeCommitmentPct: "99.9", latencyP95Ms: 1500, supportTier: credits ? "ENTERPRISE" : "BUSINESS",
    serviceCreditRule: credits ? { tiers: [{ metric: "UPTIME", belowPct: "99.9", creditPct: "10" }, { metric: "UPTIME", belowPct: "99", creditPct: "25" }, { metric: "LATENCY_P95", aboveMs: 2500, creditPct: "5" }], monthlyCapPct: "30" } : null,
  });
  await book("expired-1", "general-chat", 0, 1, 20, "FINANCIAL", past, undefined, reserved("4000000", false));
  await book("next-1", "general-chat", 0, 1, 40, "FINANCIAL", today, undefined, reserved("400000", true));
  await book("next-2", "small-fast", 1, 1, 60, "SERVICE_CREDITS", today, undefined, reserved("30000000", true));
  await book("q2-1", "frontier-reasoning", 0, 2, 15, "FINANCIAL");
  // above the default 250,000 USD approval threshold: waits for the CFO
  await book("big-1", "general-chat", 2, 2, 90, "FINANCIAL");
}
