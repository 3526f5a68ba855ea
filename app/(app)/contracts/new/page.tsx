import { pageCtx } from "@/lib/auth/page";
import { prisma } from "@/lib/db/client";
import { findOwned } from "@/lib/db/scope";
import { listCounterparties } from "@/lib/services/hedging/counterparties";
import { listPolicies, policyFor } from "@/lib/services/hedging/policy";
import { BookingForm } from "@/components/contracts/BookingForm";
import { monthKey } from "@/lib/domain/time";

export const metadata = { title: "Book a contract" };

export default async function NewContractPage({ searchParams }: { searchParams: Promise<{ recommendation?: string }> }) {
  const ctx = await pageCtx(["PROCUREMENT"]);
  const sp = await searchParams;
  const [classes, providers, cps, policies] = await Promise.all([
    prisma.modelClass.findMany({ where: { organizationId: ctx.orgId }, orderBy: { name: "asc" }, select: { id: true, name: true, models: { select: { providerId: true } } } }),
    prisma.provider.findMany({ where: { organizationId: ctx.orgId }, orderBy: { name: "asc" }, select: { id: true, name: true } }),
    listCounterparties(ctx),
    listPolicies(ctx.orgId),
  ]);
  const rec = sp.recommendation && (await findOwned(ctx, "recommendation", sp.recommendation))
    ? await prisma.recommendation.findUniqueOrThrow({ where: { id: sp.recommendation } })
    : null;
  const prefill = rec
    ? (() => {
        const month = monthKey(rec.deliveryMonth);
        const [y, m] = month.split("-").map(Number);
        const toBook = rec.quantityTokens > rec.contractedTokens ? rec.quantityTokens - rec.contractedTokens : 0n;
        return {
          recommendationId: rec.id,
          modelClassId: rec.modelClassId,
          windowStart: `${month}-01`,
          windowEnd: new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10),
          quantityTokens: toBook.toString(),
          strikeUsdPerMTokens: rec.strikeUsdPerMTokens.toString(),
          settlement: policyFor(policies, rec.modelClassId).preferredSettlement,
        };
      })()
    : null;
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Book a contract</h1>
          <p className="muted">
            {rec ? `Pre-filled from the recommendation for ${monthKey(rec.deliveryMonth)}.` : "Enter the terms agreed with the counterparty."} Bookings above the policy&apos;s
            approval threshold wait for a CFO&apos;s approval; resubmitting the same form never books twice.
          </p>
        </div>
      </div>
      {cps.length === 0 ? (
        <div className="empty">Add a counterparty first (Counterparties page): every contract names who is on the other side.</div>
      ) : (
        <BookingForm
          classes={classes.map((c) => ({ id: c.id, name: c.name, providerIds: [...new Set(c.models.map((m) => m.providerId))] }))}
          providers={providers}
          counterparties={cps.map((c) => ({ id: c.id, name: c.name, rating: c.rating, headroomUsd: c.limitUsd, exposureUsd: c.exposureUsd }))}
          lots={Object.fromEntries(classes.map((c) => [c.id, policyFor(policies, c.id).lotTokens]))}
          prefill={prefill}
        />
      )}
    </>
  );
}
