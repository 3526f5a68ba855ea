import { pageCtx } from "@/lib/auth/page";
import { chargebackStatement, defaultPeriod, periodOptions } from "@/lib/services/hedging/chargebacks";
import { chargebackPeriod } from "@/lib/validation/chargebacks";
import { PeriodForm } from "@/components/chargebacks/PeriodForm";
import { Statement } from "@/components/chargebacks/Statement";

export const metadata = { title: "My team" };

/** The team lead's landing page: their team's chargeback statement (the service pins it to their own team). */
export default async function MyTeamPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const ctx = await pageCtx(["TEAM_LEAD"]);
  const sp = await searchParams;
  const parsed = chargebackPeriod.safeParse(sp.period ?? defaultPeriod());
  const period = parsed.success ? parsed.data : defaultPeriod();
  const s = await chargebackStatement(ctx, { period });
  const opts = periodOptions();
  return (
    <>
      {!parsed.success && <p className="error" role="alert">The period “{sp.period}” is not a month (YYYY-MM) or a quarter (YYYY-Qn); showing {period}.</p>}
      <Statement s={s} periodForm={<PeriodForm action="/my-team" period={period} months={opts.months} quarters={opts.quarters} />} own />
    </>
  );
}
