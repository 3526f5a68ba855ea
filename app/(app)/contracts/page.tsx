import Link from "next/link";
import { pageCtx } from "@/lib/auth/page";
import { serviceTermsSummary } from "@/components/contracts/ServiceTermsView";
import { contractAlerts, listContracts } from "@/lib/services/hedging/contracts";
import { filterOptions } from "@/lib/services/lookups";
import { listCounterparties } from "@/lib/services/hedging/counterparties";
import { latestMarkDay, latestMarksFor } from "@/lib/services/hedging/marks";
import { contractsQuery } from "@/lib/validation/contracts";
import { Pager } from "@/components/ui/Pager";
import { fmtTokens, fmtUsd } from "@/lib/format";
import { ISO_DATE_INPUT } from "@/components/ui/date-input";

export const metadata = { title: "Contracts" };

const STATUSES = ["PENDING_APPROVAL", "BOOKED", "DELIVERING", "SETTLED", "REJECTED", "CANCELLED"] as const;
const label = (s: string) => s.toLowerCase().replace("_", " ");

export default async function ContractsPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const ctx = await pageCtx(["PROCUREMENT", "CFO", "ADMIN"]);
  // an empty filter field ("Any", no date) submits an empty value: it means no filter
  const sp = Object.fromEntries(Object.entries(await searchParams).filter(([, v]) => v !== ""));
  const parsed = contractsQuery.safeParse(sp);
  const q = parsed.success ? parsed.data : contractsQuery.parse({});
  const [data, opts, cps, alerts] = await Promise.all([listContracts(ctx, q), filterOptions(ctx), listCounterparties(ctx), contractAlerts(ctx)]);
  const [marks, markDay] = await Promise.all([latestMarksFor(ctx, data.items.map((c) => c.id)), latestMarkDay(ctx.orgId)]);
  const markDayIso = markDay?.toISOString().slice(0, 10) ?? null;
  const qs = (over: Record<string, string | undefined>) => {
    const p = new URLSearchParams(Object.entries({ ...sp, ...over }).filter(([, v]) => v) as [string, string][]);
    p.delete("page");
    return `/contracts?${p.toString()}`;
  };
  // the sort state belongs on the header cell (aria-sort is not allowed on a link)
  const sortTh = (key: string, text: string, className?: string) => (
    <th className={className} aria-sort={q.sort === key ? (q.dir === "asc" ? "ascending" : "descending") : undefined}>
      <Link href={qs({ sort: key, dir: q.sort === key && q.dir === "desc" ? "asc" : "desc" })}>
        {text}{q.sort === key ? (q.dir === "asc" ? " ▲" : " ▼") : ""}
      </Link>
    </th>
  );
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Contracts</h1>
          <p className="muted">Forward contracts on token capacity: what was agreed, with whom, and where each stands. Every change is on the contract&apos;s timeline.</p>
        </div>
        {ctx.role === "PROCUREMENT" && <Link className="btn primary" href="/contracts/new">Book a contract</Link>}
      </div>
      {alerts.drifted > 0 && <p className="warning" role="note">{alerts.drifted} open contract{alerts.drifted === 1 ? "" : "s"} on a class whose model changed since booking (model drift): check the substitution rule.</p>}
      {!parsed.success && <p className="error" role="alert">Some filters were not valid and were ignored.</p>}
      <form className="filters" method="get" aria-label="Filter contracts">
        <label>Status
          <select name="status" defaultValue={q.status ?? ""}>
            <option value="">Any</option>
            {STATUSES.map((s) => <option key={s} value={s}>{label(s)}</option>)}
          </select>
        </label>
        <label>Model class
          <select name="modelClassId" defaultValue={q.modelClassId ?? ""}>
            <option value="">Any</option>
            {opts.classes.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
          </select>
        </label>
        <label>Counterparty
          <select name="counterpartyId" defaultValue={q.counterpartyId ?? ""}>
            <option value="">Any</option>
            {cps.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
          </select>
        </label>
        <label>Window from<input {...ISO_DATE_INPUT} name="from" defaultValue={q.from ?? ""} /></label>
        <label>to<input {...ISO_DATE_INPUT} name="to" defaultValue={q.to ?? ""} /></label>
        <button className="btn" type="submit">Apply</button>
      </form>
      {data.items.length === 0 ? (
        <div className="empty">No contracts{q.status || q.modelClassId || q.counterpartyId || q.from || q.to ? " match these filters" : " yet"}.{ctx.role === "PROCUREMENT" ? " Book one from a recommendation or by hand." : ""}</div>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                {sortTh("reference", "Reference")}<th>Status</th><th>Class</th><th>Provider</th><th>Counterparty</th>
                {sortTh("windowStart", "Window")}<th className="num">Quantity</th><th className="num">Strike / 1M</th>{sortTh("notional", "Notional", "num")}<th className="num" title={`Latest daily mark${markDayIso ? ` (${markDayIso})` : ""}: value to us of the fixed price against the market (service credits marked as financial)`}>MTM</th><th>Settlement</th><th>Service terms</th>{sortTh("bookedAt", "Booked")}
              </tr>
            </thead>
            <tbody>
              {data.items.map((c) => (
                <tr key={c.id}>
                  <td><Link href={`/contracts/${c.id}`}>{c.reference}</Link>{c.drift && <span className="badge flag" title={c.drift.note}>drift</span>}</td>
                  <td><span className={`badge ${c.status === "PENDING_APPROVAL" ? "flag" : c.status === "REJECTED" || c.status === "CANCELLED" ? "bad" : "ok"}`}>{label(c.status)}</span></td>
                  <td>{c.modelClass.name}</td><td>{c.provider.name}</td><td>{c.counterparty.name}</td>
                  <td>{c.windowStart} → {c.windowEnd}</td>
                  <td className="num">{fmtTokens(c.quantityTokens)}</td>
                  <td className="num">{fmtUsd(c.strikeUsdPerMTokens, 4)}</td>
                  <td className="num">{fmtUsd(c.notionalUsd)}</td>
                  <td className="num" data-testid="mtm">
                    {marks.get(c.id) ? <>{fmtUsd(marks.get(c.id)!.valueUsd)}{marks.get(c.id)!.asOf !== markDayIso && <div className="muted small" title="the last day this contract was live">on {marks.get(c.id)!.asOf}</div>}</> : "—"}
                  </td>
                  <td>{c.settlement === "FINANCIAL" ? "financial" : "service credits"}</td>
                  <td data-testid="service-terms-cell" style={{ minWidth: "11rem" }} title={c.serviceTerms?.serviceCreditText ?? undefined}>{serviceTermsSummary(c.serviceTerms)}</td>
                  <td>{c.bookedAt.slice(0, 10)} by {c.bookedByName}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={q.page} pageSize={q.pageSize} total={data.total} base={qs({})} />
      <p className="muted">MTM: the contract&apos;s latest daily mark{markDayIso ? `, ${markDayIso}` : ""} (after each curve rebuild and nightly); a date under it is the last day the contract was live.{ctx.role !== "PROCUREMENT" && <> <Link href="/dashboard#mtm">Portfolio marks</Link> ·</>} <a href="/api/v1/marks?format=csv" download>Marks (CSV)</a></p>
    </>
  );
}
