import Link from "next/link";
import { Suspense } from "react";
import Decimal from "decimal.js";
import { pageCtx } from "@/lib/auth/page";
import type { Ctx } from "@/lib/auth/context";
import { procurementTasks } from "@/lib/services/hedging/dashboard";
import { listCounterparties } from "@/lib/services/hedging/counterparties";
import { portfolioMarks } from "@/lib/services/hedging/marks";
import { curvesAsOf } from "@/lib/services/market-snapshot";
import { utcDay } from "@/lib/domain/time";
import { fmtTokens, fmtUsd } from "@/lib/format";
import { AlertList } from "@/components/dashboard/AlertList";
import { CurveChart } from "@/components/ui/charts";
import { CapacityTable } from "@/components/capacity/CapacityTable";
import { capacityView } from "@/lib/services/hedging/capacity";

export const metadata = { title: "To do" };

const Loading = ({ what }: { what: string }) => <p role="status" aria-live="polite" className="muted panel">Loading {what}…</p>;

export default async function ProcurementPage({ searchParams }: { searchParams: Promise<{ class?: string }> }) {
  const ctx = await pageCtx(["PROCUREMENT", "CFO", "ADMIN"]);
  const sp = await searchParams;
  return (
    <>
      <div className="page-head">
        <div>
          <h1>What needs doing</h1>
          <p className="muted">Recommendations to book, then contracts, curves and counterparties that need a look — most urgent first. Below: each class&apos;s recommendations beside its forward curve and current coverage, and counterparties with their exposure.</p>
        </div>
        <div className="actions">
          <Link className="btn" href="/contracts">Blotter</Link>
          {ctx.role === "PROCUREMENT" && <Link className="btn primary" href="/contracts/new">Book a contract</Link>}
        </div>
      </div>
      <Suspense fallback={<Loading what="the to-do list" />}>
        <Tasks ctx={ctx} selected={sp.class} />
      </Suspense>
      <Suspense fallback={<Loading what="capacity coverage" />}>
        <Capacity ctx={ctx} />
      </Suspense>
      <Suspense fallback={<Loading what="counterparties" />}>
        <Counterparties ctx={ctx} />
      </Suspense>
    </>
  );
}

async function Tasks({ ctx, selected }: { ctx: Ctx; selected?: string }) {
  const { tasks, coverage, recommendations } = await procurementTasks(ctx);
  const classes = coverage.classes;
  // by default the class with the most left to book (notional at the recommended strikes)
  const toBook = (id: string) => (recommendations.classes.find((r) => r.modelClassId === id)?.months ?? []).filter((m) => m.status === "OPEN").reduce((s, m) => s.add(new Decimal(m.toBookTokens).mul(m.strikeUsdPerMTokens)), new Decimal(0));
  const cls = classes.find((c) => c.id === selected) ?? [...classes].sort((a, b) => toBook(b.id).comparedTo(toBook(a.id)))[0];
  const curve = cls ? (await curvesAsOf(ctx.orgId, utcDay(new Date()), [cls.id])).get(cls.id) : undefined;
  const recs = recommendations.classes.find((r) => r.modelClassId === cls?.id);
  const cells = coverage.cells.filter((c) => c.classId === cls?.id);
  return (
    <>
      <section aria-labelledby="todo-h" className="panel">
        <h2 id="todo-h">To do</h2>
        <AlertList items={tasks} testId="tasks" empty="Nothing to do: recommendations are booked, coverage is inside the policy bands and nothing is flagged." />
      </section>
      <section aria-labelledby="plan-h" className="panel">
        <h2 id="plan-h">Recommendations beside the curve and coverage</h2>
        {!cls ? (
          <div className="empty">No model classes yet.</div>
        ) : (
          <>
            <nav aria-label="Model classes" className="tabs">
              {classes.map((c) => (
                <Link key={c.id} href={`/procurement?class=${c.id}`} className={`btn ${c.id === cls.id ? "primary" : ""}`} aria-current={c.id === cls.id ? "page" : undefined}>{c.name}</Link>
              ))}
            </nav>
            <div>
              <div>
                <h3>Forward curve{curve ? ` of ${curve.asOf.toISOString().slice(0, 10)}` : ""}</h3>
                {curve ? (
                  <CurveChart curves={[{ label: cls.name, points: curve.points.map((p) => ({ month: p.month, price: p.price.toNumber(), exact: p.price.toString(), flagged: p.stale || p.thin || p.wide })) }]} />
                ) : (
                  <div className="empty">No curve for {cls.name} yet: import quotes.</div>
                )}
                <p className="muted"><Link href={`/market?class=${cls.id}`}>Curve page</Link> · triangles mark stale, thin or wide points</p>
              </div>
              <div>
                <h3>Plan {recommendations.run ? `(run of ${recommendations.run.asOf})` : ""}</h3>
                <div className="table-wrap">
                  <table className="data" data-testid="plan">
                    <thead><tr><th>Month</th><th className="num">Forward / 1M</th><th className="num">P50 demand</th><th className="num">Contracted</th><th className="num">Coverage</th><th className="num">Band</th><th className="num">Recommended</th><th className="num">To book</th></tr></thead>
                    <tbody>
                      {cells.map((c) => {
                        const r = recs?.months.find((m) => m.month === c.month);
                        const point = curve?.points.find((p) => p.month === c.month);
                        return (
                          <tr key={c.month} className={`cov-row-${c.status}`}>
                            <td className="nowrap">{c.month}</td>
                            <td className="num">{point ? fmtUsd(point.price.toString(), 4) : "—"}</td>
                            <td className="num">{c.p50Tokens ? fmtTokens(c.p50Tokens) : "—"}</td>
                            <td className="num"><Link href={`/contracts?modelClassId=${cls.id}&from=${c.month}-01`}>{fmtTokens(c.contractedTokens)}</Link>{c.pendingTokens !== "0" && <span className="muted"> +{fmtTokens(c.pendingTokens)} pending</span>}</td>
                            <td className={`num cov-${c.status}`}>{c.coveragePct !== null ? `${Number(c.coveragePct).toFixed(0)}%` : "—"}</td>
                            <td className="num">{c.bandMinPct !== null ? `${c.bandMinPct}–${c.bandMaxPct}%` : "—"}</td>
                            <td className="num">{r ? fmtTokens(r.quantityTokens) : "—"}</td>
                            <td className="num">{r && r.toBookTokens !== "0" && r.status === "OPEN" ? (ctx.role === "PROCUREMENT" ? <Link href={`/contracts/new?recommendation=${r.id}`} aria-label={`Book ${fmtTokens(r.toBookTokens)} for ${c.month}`}>{fmtTokens(r.toBookTokens)}</Link> : fmtTokens(r.toBookTokens)) : "—"}</td>
                          </tr>
                        );
                      })}
                    </tbody>
                  </table>
                </div>
                <p className="muted"><Link href={`/hedging/recommendations?class=${cls.id}`}>Strategies, cost distribution and a what-if</Link></p>
              </div>
            </div>
          </>
        )}
      </section>
    </>
  );
}

async function Capacity({ ctx }: { ctx: Ctx }) {
  const view = await capacityView(ctx);
  return (
    <section aria-labelledby="capacity-h" className="panel" id="capacity">
      <h2 id="capacity-h">Capacity coverage: forecast peak vs reserved throughput</h2>
      <CapacityTable view={view} />
      <p className="muted"><a href={`/api/v1/capacity?asOf=${view.asOf}`}>As JSON</a>{ctx.role === "PROCUREMENT" ? <> · reserve throughput under a contract&apos;s service terms when <Link href="/contracts/new">booking</Link></> : null}</p>
    </section>
  );
}

async function Counterparties({ ctx }: { ctx: Ctx }) {
  const [rows, marks] = await Promise.all([listCounterparties(ctx), portfolioMarks(ctx)]);
  const owed = new Map((marks?.byCounterparty ?? []).map((g) => [g.key, g.valueUsd]));
  return (
    <section aria-labelledby="cp-h" className="panel">
      <h2 id="cp-h">Counterparties</h2>
      <p className="muted">Exposure is the notional of open contracts against each limit; MTM is what the contracts with them are worth to us on the latest mark day{marks ? ` (${marks.asOf})` : ""} — positive means they would owe us.</p>
      {rows.length === 0 ? (
        <div className="empty">No counterparties yet. <Link href="/counterparties">Add one</Link>.</div>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead><tr><th>Name</th><th>Rating</th><th className="num">Limit</th><th className="num">Exposure</th><th className="num">Use of limit</th><th className="num">Concentration</th><th className="num">MTM</th><th>Warnings</th></tr></thead>
            <tbody>
              {rows.map((c) => {
                const mtm = owed.get(c.id);
                return (
                  <tr key={c.id}>
                    <td><Link href={`/contracts?counterpartyId=${c.id}`}>{c.name}</Link></td><td>{c.rating}</td>
                    <td className="num">{fmtUsd(c.limitUsd, 0)}</td><td className="num">{fmtUsd(c.exposureUsd, 0)}</td>
                    <td className="num">{c.limitUsedPct ?? "—"}%</td><td className="num">{c.concentrationPct}%</td>
                    <td className={`num ${mtm && new Decimal(mtm).isNeg() ? "neg" : ""}`}>{mtm ? fmtUsd(mtm, 0) : "—"}</td>
                    <td>{c.warnings.map((w) => <span key={w} className="badge flag">{w}</span>)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <p className="muted"><Link href="/counterparties">Edit limits</Link></p>
    </section>
  );
}
