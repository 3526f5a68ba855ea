import Decimal from "decimal.js";
import Link from "next/link";
import { pageCtx } from "@/lib/auth/page";
import { AppError } from "@/lib/errors";
import { fmtTokens, fmtUsd } from "@/lib/format";
import { chargebackStatement, defaultPeriod, periodOptions, type ChargebackStatement } from "@/lib/services/hedging/chargebacks";
import { chargebackPeriod, parseTeamTableView } from "@/lib/validation/chargebacks";
import { ChargebackSettings } from "@/components/chargebacks/ChargebackSettings";
import { ClassTable } from "@/components/chargebacks/ClassTable";
import { Method } from "@/components/chargebacks/Method";
import { PeriodForm } from "@/components/chargebacks/PeriodForm";
import { csvHref, Notes, Statement } from "@/components/chargebacks/Statement";
import { TeamsTable } from "@/components/chargebacks/TeamsTable";
import { TrendChart } from "@/components/ui/charts";
import { BENCHMARK_LABEL, fmtSigned, periodLabel, verdict } from "@/components/chargebacks/labels";

export const metadata = { title: "Chargebacks" };

/** CFO / admin: every team's chargeback side by side for a period, reconciled to the org's cost; ?team= opens one team's statement. */
export default async function ChargebacksPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const ctx = await pageCtx(["CFO", "ADMIN"]);
  const sp = await searchParams;
  const parsed = chargebackPeriod.safeParse(sp.period ?? defaultPeriod());
  const period = parsed.success ? parsed.data : defaultPeriod();
  const opts = periodOptions();
  const badPeriod = !parsed.success && <p className="error" role="alert">The period “{sp.period}” is not a month (YYYY-MM) or a quarter (YYYY-Qn); showing {period}.</p>;

  let s: ChargebackStatement;
  try {
    s = await chargebackStatement(ctx, { period, teamId: sp.team || null });
  } catch (e) {
    if (!(e instanceof AppError) || e.status !== 404) throw e;
    return (
      <>
        <h1>Chargebacks</h1>
        <div className="empty">No such team in this organization. <Link href={`/chargebacks?period=${period}`}>Back to all teams</Link></div>
      </>
    );
  }

  if (s.team) {
    return (
      <>
        {badPeriod}
        <p><Link href={`/chargebacks?period=${encodeURIComponent(period)}`}>← All teams, {periodLabel(period)}</Link></p>
        <Statement s={s} periodForm={<PeriodForm action="/chargebacks" period={period} months={opts.months} quarters={opts.quarters} teamId={s.team.id} />} own={false} />
      </>
    );
  }

  const org = s.org!;
  const benchmarkLabel = BENCHMARK_LABEL[s.benchmark];
  const hedgeEffect = new Decimal(org.costUsd).sub(s.totals.benchmarkUsd).toFixed(2);
  return (
    <>
      {badPeriod}
      <div className="page-head">
        <div>
          <h1>Chargebacks: {periodLabel(period)}</h1>
          <p className="muted">
            Every team&apos;s usage at the {benchmarkLabel.toLowerCase()} and at the hedged blended rate, {s.from} → {s.to}. The teams&apos; charges add up to the
            organization&apos;s cost to the cent.
          </p>
        </div>
        <div className="actions">
          <PeriodForm action="/chargebacks" period={period} months={opts.months} quarters={opts.quarters} />
          <a className="btn" href={csvHref(s)} download>Export CSV</a>
        </div>
      </div>
      <Notes notes={s.notes} />
      <div className="grid" role="group" aria-label="Organization totals">
        <div className="panel kpi"><div className="label">Organization&apos;s cost (hedged)</div><div className="value">{fmtUsd(org.costUsd)}</div></div>
        <div className="panel kpi"><div className="label">{benchmarkLabel}</div><div className="value">{fmtUsd(s.totals.benchmarkUsd)}</div></div>
        <div className="panel kpi"><div className="label">Hedge effect</div><div className="value">{fmtSigned(hedgeEffect)}</div></div>
        <div className="panel kpi"><div className="label">Tokens (input + output)</div><div className="value">{fmtTokens(s.totals.tokens)}</div></div>
      </div>
      <p className={`verdict ${new Decimal(hedgeEffect).isNeg() ? "saved" : new Decimal(hedgeEffect).isPos() ? "cost" : ""}`} role="status">
        {verdict(hedgeEffect, s.months.some((m) => m.hedged), "the organization", period)} Unrounded cost {fmtUsd(org.costExactUsd, 6)}.
      </p>
      <section aria-labelledby="teams-h">
        <h2 id="teams-h">By team</h2>
        {s.teams.length === 0 ? <div className="empty">No teams yet. Admins create teams under Teams.</div> : (
          <TeamsTable rows={s.teams} view={parseTeamTableView(sp)} totals={s.totals} org={org} period={period} benchmarkLabel={benchmarkLabel} />
        )}
        <p className="muted">Open a team for its statement: usage by model and class, the contracts behind its charge, and its 12-month trend.</p>
      </section>
      <section aria-labelledby="classes-h">
        <h2 id="classes-h">By model class</h2>
        <ClassTable rows={s.classes} benchmarkLabel={benchmarkLabel} team={null} />
      </section>
      <section aria-labelledby="trend-h">
        <h2 id="trend-h">Last 12 months</h2>
        <TrendChart points={s.trend} benchmarkLabel={benchmarkLabel} label={`Organization: ${benchmarkLabel.toLowerCase()} and hedged cost per month, 12 months to ${s.trend.at(-1)?.month}`} />
      </section>
      <Method benchmark={s.benchmark} allocation={s.allocation} />
      {ctx.role === "ADMIN" && <ChargebackSettings benchmark={s.benchmark} allocation={s.allocation} />}
    </>
  );
}
