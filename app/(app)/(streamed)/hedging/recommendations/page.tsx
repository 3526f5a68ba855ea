import { pageCtx } from "@/lib/auth/page";
import { latestRecommendations } from "@/lib/services/hedging/recommendations";
import { RecommendationsView } from "@/components/hedging/RecommendationsView";
import { RunButton } from "@/components/hedging/RunButton";
import { fmtDateTime } from "@/lib/format";

export const metadata = { title: "Hedge recommendations" };

export default async function RecommendationsPage({ searchParams }: { searchParams: Promise<{ class?: string }> }) {
  const ctx = await pageCtx(["PROCUREMENT", "CFO", "ADMIN"]);
  const sp = await searchParams;
  const data = await latestRecommendations(ctx);
  const selected = data.classes.find((c) => c.modelClassId === sp.class) ?? data.classes[0];
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Hedge recommendations</h1>
          <p className="muted">
            How much of next months&apos; demand to fix in price, per model class. Hedging buys budget certainty, not a better price: the
            recommended quantity is the one with the lowest 95th-percentile cost inside the policy&apos;s coverage band and over-hedge limit.
          </p>
        </div>
        <RunButton />
      </div>
      {!data.run ? (
        <div className="empty">No recommendations yet. They are computed after each forecast run and curve rebuild, and nightly — or queue a run now.</div>
      ) : (
        <>
          <p className="muted">
            Run of {fmtDateTime(data.run.createdAt)} · as of {data.run.asOf} · forecast of {data.run.forecastAsOf ?? "—"}
          </p>
          {data.run.skipped.length > 0 && (
            <div className="panel warn" role="note">
              <strong>Not recommended:</strong>
              <ul>{data.run.skipped.map((s) => <li key={s}>{s}</li>)}</ul>
            </div>
          )}
          {selected ? <RecommendationsView classes={data.classes.map((c) => ({ id: c.modelClassId, name: c.name }))} data={selected} canBook={ctx.role === "PROCUREMENT"} /> : <div className="empty">The latest run recommended nothing.</div>}
        </>
      )}
    </>
  );
}
