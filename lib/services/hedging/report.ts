/**
 * The CFO's monthly report (/reports/monthly): one calendar month's spend and settlements, the portfolio's marks at
 * the month's end, and today's coverage, budget at risk and alerts, with the CFO's commentary. It reads the same
 * read models as the dashboard (stored marks, settlements, the latest forecasts and recommendation run); the only
 * write is the commentary, which is audited.
 */
import Decimal from "decimal.js";
import { prisma } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { badRequest } from "@/lib/errors";
import { isoMonth } from "@/lib/validation/common";
import { addDays, monthKey, utcDay } from "@/lib/domain/time";
import { MONEY_DP } from "@/lib/domain/money";
import { audit } from "@/lib/services/audit";
import { usageBreakdown } from "@/lib/services/usage";
import { budgetView, coverageView, dashboardAlerts } from "./dashboard";
import { portfolioMarks } from "./marks";

const firstDay = (month: string) => new Date(`${month}-01T00:00:00Z`);
const lastDay = (month: string) => addDays(new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 1)), -1);

/** The months a report can be made for: the current month and the eleven before it, newest first. */
export function reportMonths(now = new Date(), count = 12): string[] {
  const d = utcDay(now);
  return Array.from({ length: count }, (_, i) => monthKey(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - i, 1))));
}

/** The default report month: the last complete calendar month. */
export const defaultReportMonth = (now = new Date()) => reportMonths(now, 2)[1];

export async function monthlyReport(ctx: Ctx, month: string, now = new Date()) {
  const valid = isoMonth.safeParse(month);
  if (!valid.success) throw badRequest(`month: ${valid.error.issues[0].message}`, [{ path: "month", message: valid.error.issues[0].message }]);
  const today = utcDay(now);
  const from = firstDay(month);
  if (from.getTime() > today.getTime()) throw badRequest(`month: ${month} has not started yet`, [{ path: "month", message: `${month} has not started yet` }]);
  const to = lastDay(month);
  const markDay = to.getTime() < today.getTime() ? to : today;
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  const [spend, settlements, marks, coverage, budget, commentary] = await Promise.all([
    usageBreakdown(ctx, { from: iso(from), to: iso(to) }, "class"),
    prisma.settlement.findMany({
      where: { organizationId: ctx.orgId, periodMonth: from },
      select: { amountUsd: true, creditsUsedTokens: true, creditsForfeitedTokens: true, contract: { select: { id: true, reference: true, counterparty: { select: { name: true } }, product: { select: { settlement: true, modelClass: { select: { name: true } } } } } } },
      orderBy: { contract: { reference: "asc" } },
    }),
    portfolioMarks(ctx, { asOf: iso(markDay) }),
    coverageView(ctx, now),
    budgetView(ctx, now),
    prisma.reportCommentary.findUnique({ where: { organizationId_month: { organizationId: ctx.orgId, month } } }),
  ]);
  const alerts = await dashboardAlerts(ctx, now, { coverage });
  const spendTotal = spend.reduce((s, r) => s.add(r.listCostUsd), new Decimal(0));
  const financial = settlements.filter((s) => s.contract.product.settlement === "FINANCIAL");
  return {
    month,
    partial: to.getTime() >= today.getTime(),
    period: { from: iso(from), to: iso(to) },
    generatedOn: iso(today),
    spend: { byClass: spend, totalUsd: spendTotal.toFixed(2) },
    settlements: {
      lines: settlements.map((s) => ({
        contractId: s.contract.id,
        reference: s.contract.reference,
        counterparty: s.contract.counterparty.name,
        modelClass: s.contract.product.modelClass.name,
        settlement: s.contract.product.settlement,
        amountUsd: s.amountUsd.toFixed(MONEY_DP),
        creditsUsedTokens: s.creditsUsedTokens?.toString() ?? null,
        creditsForfeitedTokens: s.creditsForfeitedTokens?.toString() ?? null,
      })),
      financialUsd: financial.reduce((t, s) => t.add(s.amountUsd.toString()), new Decimal(0)).toFixed(MONEY_DP),
    },
    marks,
    coverage,
    budget,
    alerts,
    commentary: commentary ? { text: commentary.text, by: commentary.updatedByName, at: commentary.updatedAt.toISOString() } : null,
  };
}
export type MonthlyReport = Awaited<ReturnType<typeof monthlyReport>>;

/** Saves (or clears, with empty text) the commentary of a month's report; audited with the text before and after. */
export async function saveCommentary(ctx: Ctx, input: { month: string; text: string }) {
  return prisma.$transaction(async (tx) => {
    const before = await tx.reportCommentary.findUnique({ where: { organizationId_month: { organizationId: ctx.orgId, month: input.month } } });
    const text = input.text.trim();
    const row = await tx.reportCommentary.upsert({
      where: { organizationId_month: { organizationId: ctx.orgId, month: input.month } },
      create: { organizationId: ctx.orgId, month: input.month, text, updatedById: ctx.actorId, updatedByName: ctx.actorName },
      update: { text, updatedById: ctx.actorId, updatedByName: ctx.actorName, updatedAt: new Date() },
    });
    await audit(tx, ctx, "report.commentary.saved", "ReportCommentary", row.id, { month: input.month, before: before?.text ?? null, after: text });
    return { month: row.month, text: row.text, by: row.updatedByName, at: row.updatedAt.toISOString() };
  });
}
