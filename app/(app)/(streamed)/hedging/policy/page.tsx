import Link from "next/link";
import { pageCtx } from "@/lib/auth/page";
import { listPolicies, policyFor } from "@/lib/services/hedging/policy";
import { filterOptions } from "@/lib/services/lookups";
import { PolicyForm } from "@/components/hedging/PolicyForm";
import { fmtDateTime, fmtTokens, fmtUsd } from "@/lib/format";

export const metadata = { title: "Hedge policy" };

export default async function PolicyPage({ searchParams }: { searchParams: Promise<{ class?: string }> }) {
  const ctx = await pageCtx(["ADMIN", "CFO", "PROCUREMENT"]);
  const sp = await searchParams;
  const [policies, opts] = await Promise.all([listPolicies(ctx.orgId), filterOptions(ctx)]);
  const cls = opts.classes.find((c) => c.id === sp.class);
  const current = cls ? policyFor(policies, cls.id) : policies.org;
  const inherited = cls && current.modelClassId !== cls.id;
  const canEdit = ctx.role === "ADMIN" || ctx.role === "CFO";
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Hedge policy</h1>
          <p className="muted">How much of forecast demand may be fixed in price, for how long, in which lots — and when a booking needs a CFO&apos;s approval. Changes are audited and trigger new recommendations.</p>
        </div>
      </div>
      <nav aria-label="Policy scope" className="tabs">
        <Link href="/hedging/policy" className={`btn ${!cls ? "primary" : ""}`} aria-current={!cls ? "page" : undefined}>Organization</Link>
        {opts.classes.map((c) => (
          <Link key={c.id} href={`/hedging/policy?class=${c.id}`} className={`btn ${cls?.id === c.id ? "primary" : ""}`} aria-current={cls?.id === c.id ? "page" : undefined}>
            {c.name}{policies.overrides.some((o) => o.modelClassId === c.id) ? " (override)" : ""}
          </Link>
        ))}
      </nav>
      <section className="panel">
        <h2>{cls ? `${cls.name}${inherited ? " — follows the organization policy" : " — class override"}` : "Organization policy"}</h2>
        <p className="muted">
          {current.isDefault ? "Default policy (not saved yet)." : `Last changed ${fmtDateTime(current.updatedAt)}.`} Lot {fmtTokens(current.lotTokens)} tokens · max tenor {current.maxTenorMonths} months ·
          over-hedge limit {(Number(current.maxOverHedgeProb) * 100).toFixed(1)}% · approval above {fmtUsd(current.approvalThresholdUsd, 0)} ·
          quarterly budget {current.quarterlyBudgetUsd ? fmtUsd(current.quarterlyBudgetUsd, 0) : "not set"}
        </p>
        {canEdit ? <PolicyForm modelClassId={cls?.id ?? null} policy={current} hasOverride={!!cls && !inherited} /> : <p className="muted">Read only: the CFO and admins edit the policy.</p>}
      </section>
    </>
  );
}
