import { pageCtx } from "@/lib/auth/page";
import { filterOptions } from "@/lib/services/lookups";
import { usageExtent } from "@/lib/services/usage";
import { UsageExplorer } from "@/components/usage/UsageExplorer";
import { fmtDate } from "@/lib/format";
import { addDays, parseDay } from "@/lib/domain/time";

export const metadata = { title: "Usage explorer" };

export default async function UsagePage() {
  const ctx = await pageCtx();
  const [opts, extent] = await Promise.all([filterOptions(ctx), usageExtent(ctx)]);
  const to = fmtDate(extent.last ?? new Date());
  const from = fmtDate(addDays(parseDay(to), -180));
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Usage explorer</h1>
          <p className="muted">
            {extent.records ? `${extent.records.toLocaleString("en-US")} usage records from ${fmtDate(extent.first)} to ${fmtDate(extent.last)}.` : "No usage imported yet."} Spend is valued at the catalog list price in force each day.
          </p>
        </div>
      </div>
      {extent.records === 0 ? (
        <div className="empty">No usage yet. An admin or procurement imports usage files under Usage imports.</div>
      ) : (
        <UsageExplorer classes={opts.classes} models={opts.models} lockedTeam={ctx.role === "TEAM_LEAD" ? opts.teams[0] : undefined} defaultFrom={from} defaultTo={to} />
      )}
    </>
  );
}
