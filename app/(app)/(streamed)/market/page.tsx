import Decimal from "decimal.js";
import { pageCtx } from "@/lib/auth/page";
import { curveView, qualityAdjusted } from "@/lib/services/curves";
import { CurveChart, SpotChart } from "@/components/ui/charts";
import { ClassPicker } from "@/components/market/ClassPicker";
import { IndexDefinition, indexSummary } from "@/components/market/IndexDefinition";
import { ExcludedQuotes } from "@/components/market/ExcludedQuotes";
import { fmtDate, fmtUsd } from "@/lib/format";
import { monthKey as month } from "@/lib/domain/time";

export const metadata = { title: "Market & curves" };


export default async function MarketPage({ searchParams }: { searchParams: Promise<{ class?: string }> }) {
  const ctx = await pageCtx(["CFO", "PROCUREMENT", "ADMIN"]);
  const sp = await searchParams;
  const [view, quality] = await Promise.all([curveView(ctx, sp.class), qualityAdjusted(ctx)]);
  if (!view) return (<><h1>Forward curves</h1><div className="empty">No model classes in the catalog yet.</div></>);
  const { cls, latest, overlays, spotHistory, meta, excluded } = view;
  const flagged = (p: { stale: boolean; wide: boolean; thin: boolean }) => p.stale || p.wide || p.thin;
  // outliers screened out of a delivery month (stored with the curve; the point itself has no column for it)
  const excludedIn = (m: string) => excluded.filter((e) => e.deliveryMonth === m).length;
  const curves = latest
    ? [
        { label: `As of ${fmtDate(latest.asOf)}`, points: latest.points.map((p) => ({ month: month(p.deliveryMonth), price: Number(p.priceUsdPerMTokens), exact: p.priceUsdPerMTokens.toString(), flagged: flagged(p) || excludedIn(month(p.deliveryMonth)) > 0 })) },
        ...overlays.map((o) => ({ label: `${o.label} (${fmtDate(o.curve.asOf)})`, points: o.curve.points.map((p) => ({ month: month(p.deliveryMonth), price: Number(p.priceUsdPerMTokens), exact: p.priceUsdPerMTokens.toString(), flagged: flagged(p) })) })),
      ]
    : [];
  const weeks = [...new Set(spotHistory.map((s) => s.week))];
  const spotRows = weeks.map((w) => ({
    week: w,
    list: Number(spotHistory.find((s) => s.week === w && s.kind === "SPOT_LIST")?.mid ?? NaN) || null,
    realized: Number(spotHistory.find((s) => s.week === w && s.kind === "SPOT_REALIZED")?.mid ?? NaN) || null,
    listUsd: spotHistory.find((s) => s.week === w && s.kind === "SPOT_LIST")?.mid ?? null,
    realizedUsd: spotHistory.find((s) => s.week === w && s.kind === "SPOT_REALIZED")?.mid ?? null,
  }));
  const drift = latest?.points.find((p) => p.driftNote)?.driftNote;
  const params = latest ? meta : undefined;
  const spotExcluded = excluded.filter((e) => e.deliveryMonth === null).length;
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Forward curves</h1>
          <p className="muted">Price per 1M blended tokens for capacity delivered in each of the next 12 months, built from quotes and spot observations.</p>
        </div>
        <ClassPicker classes={view.classes} value={cls.key} />
      </div>
      {ctx.isDemo && <p className="warning">Demo market: the quotes behind these curves are generated demo data.</p>}
      {!latest ? (
        <div className="empty">No curve yet for {cls.name}. Import quotes; curves are rebuilt after each import and nightly.</div>
      ) : (
        <>
          {drift && <p className="warning" role="note"><strong>Model drift.</strong> {drift}. Quotes may price a different model than the one delivered.</p>}
          <section className="panel">
            <h2 style={{ marginTop: 0 }}>{cls.name}: how the market moved</h2>
            <CurveChart curves={curves} />
            <p className="muted">
              Solid: latest curve. Dashed: past curves. ▲ marks a flagged point (stale, wide, thin, or with outlier quotes excluded). Spot: {fmtUsd(latest.spotUsdPerMTokens?.toString(), 4)} / 1M —{" "}
              {meta.spot ? indexSummary(view.index, meta.spot.basis) : "curve built before spot was defined as the list-blended index"}
              {spotExcluded > 0 ? ` (${spotExcluded} spot observation${spotExcluded === 1 ? "" : "s"} excluded as outliers)` : ""}.
            </p>
          </section>
          <IndexDefinition
            className={cls.name}
            spot={latest.spotUsdPerMTokens?.toString() ?? null}
            basis={meta.spot?.basis}
            index={view.index}
            indexIsLive={view.indexIsLive}
            observed={meta.spot ? { price: meta.spot.observedUsdPerMTokens, count: meta.spot.observedCount } : null}
          />
          <h2>Curve points as of {fmtDate(latest.asOf)}</h2>
          <div className="table-wrap">
            <table className="data">
              <thead><tr><th>Delivery</th><th className="num">Price / 1M</th><th className="num">vs spot</th><th>Source</th><th className="num">Quotes</th><th>Flags</th></tr></thead>
              <tbody>
                {latest.points.map((p) => {
                  const out = excludedIn(month(p.deliveryMonth));
                  const vsSpot = latest.spotUsdPerMTokens ? new Decimal(p.priceUsdPerMTokens.toString()).div(latest.spotUsdPerMTokens.toString()).minus(1).mul(100) : null;
                  return (
                    <tr key={p.id}>
                      <td>{month(p.deliveryMonth)}</td>
                      <td className="num">{fmtUsd(p.priceUsdPerMTokens.toString(), 4)}</td>
                      <td className="num">{vsSpot ? `${vsSpot.isNeg() ? "" : "+"}${vsSpot.toFixed(1)}%` : "—"}</td>
                      <td>{p.kind.toLowerCase()}</td>
                      <td className="num">{p.quoteCount}</td>
                      <td>
                        {p.stale && <span className="badge flag" title={`No quote newer than ${params?.staleDays} days`}>stale</span>}
                        {p.wide && <span className="badge flag" title={`Spread above ${params?.wideSpreadPct}%`}>wide</span>}
                        {p.thin && <span className="badge flag" title={`Fewer than ${params?.thinMinQuotes} quotes`}>thin</span>}
                        {p.driftNote && <span className="badge flag" title={p.driftNote}>drift</span>}
                        {out > 0 && <span className="badge flag" title="Quotes far from this month's median were left out; see Excluded quotes below">{out} excluded</span>}
                        {!flagged(p) && !p.driftNote && out === 0 && <span className="muted">—</span>}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <ExcludedQuotes rows={excluded} total={view.excludedCount} screen={meta.screen} />
          <details className="panel" style={{ marginTop: "1rem" }}>
            <summary>How this curve is built</summary>
            <p>Spot is the class&apos;s index: its list price blended by your organization&apos;s input, cached-input and output mix over the last 30 days, at the list prices in force on the curve&apos;s day (see Index definition). Without usage of the class, spot is the weighted mean of the spot observations in quotes.</p>
            <p>Each quote&apos;s mid is (bid + ask) / 2. Outliers are screened first: a quote whose mid is further from the median of its delivery month (or of the spot observations) than {meta.screen?.outlierK ?? 3.5} × 1.4826 × MAD — with the MAD at least {meta.screen?.outlierMadFloorPct ?? 5}% of the median — both among the quotes made in the {meta.screen?.outlierWindowDays ?? 7} days before it and among those made in the {meta.screen?.outlierWindowDays ?? 7} days after it (where there are at least {meta.screen?.outlierMinQuotes ?? 3}), is excluded and listed above, unless the class&apos;s other quotes made within 12 hours of it moved by about as much (a repricing). Quotes for the same month are then averaged with weights that halve every {params?.halfLifeDays} days of age and fall with spread (a 5% spread counts half). Between quoted months, and from spot to the first quoted month, prices are interpolated log-linearly (a constant monthly percentage change). After the last quoted month the last log-slope continues, capped at ±10% a month; with one anchor the curve is flat. Flags: stale when no quote behind the point is newer than {params?.staleDays} days, wide above a {params?.wideSpreadPct}% spread, thin with fewer than {params?.thinMinQuotes} quotes; interpolated and extrapolated points take the weaker of their anchors (the index counts as exact and current).</p>
          </details>
        </>
      )}
      <section className="panel" style={{ marginTop: "1rem" }}>
        <h2 style={{ marginTop: 0 }}>{cls.name}: spot history</h2>
        <p className="muted">Weekly median of each kind of spot observation in quotes (a median, so stray observations do not bend it).</p>
        {spotRows.length ? <SpotChart rows={spotRows} /> : <div className="empty">No spot observations for this class.</div>}
      </section>
      <h2>Quality-adjusted prices</h2>
      <p className="muted">A token of one class is not a token of another. Price per 1,000 quality points (the price per 1M tokens divided by the quality score, times 1,000) shows whether a cheaper class is really cheaper capacity. &ldquo;3 months ahead&rdquo; is the forward curve&apos;s price for capacity delivered in the third month from now.</p>
      <div className="table-wrap">
        <table className="data">
          <thead><tr><th>Class</th><th className="num">Quality score</th><th className="num">Spot / 1M</th><th>Spot definition</th><th className="num">Spot / 1M per 1,000 points</th><th className="num">3 months ahead / 1M</th><th className="num">3 months ahead / 1M per 1,000 points</th></tr></thead>
          <tbody>
            {quality.map((q) => (
              <tr key={q.key}>
                <td>{q.name}</td>
                <td className="num">{q.quality ? <span title={`${q.quality.benchmark}, effective ${fmtDate(q.quality.effectiveFrom)}`}>{q.quality.score}</span> : "no score"}</td>
                <td className="num">{fmtUsd(q.spot, 4)}</td>
                <td>{indexSummary(q.index, q.spotBasis)}</td>
                <td className="num">{q.spotPer1000Points ? fmtUsd(q.spotPer1000Points, 2) : "—"}</td>
                <td className="num">{fmtUsd(q.m3, 4)}</td>
                <td className="num">{q.m3Per1000Points ? fmtUsd(q.m3Per1000Points, 2) : "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

