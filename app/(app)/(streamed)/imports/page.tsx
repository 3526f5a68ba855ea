import { pageCtx } from "@/lib/auth/page";
import { listImports } from "@/lib/services/imports";
import { filterOptions } from "@/lib/services/lookups";
import { UsageUpload } from "@/components/imports/UsageUpload";
import { Pager } from "@/components/ui/Pager";
import { fmtDateTime } from "@/lib/format";
import { listConnectors } from "@/lib/services/connectors/connectors";
import { ConnectorsSection } from "@/components/imports/ConnectorsSection";

export const metadata = { title: "Usage imports" };

export default async function ImportsPage({ searchParams }: { searchParams: Promise<{ page?: string }> }) {
  const ctx = await pageCtx(["ADMIN", "PROCUREMENT"]);
  const page = Math.max(1, Number((await searchParams).page) || 1);
  const [history, opts, connectors] = await Promise.all([listImports(ctx, page, 25), filterOptions(ctx), listConnectors(ctx)]);
  // procurement sees the connectors' state and history, not their key hints
  const shown = ctx.role === "ADMIN" ? connectors : connectors.map((c) => ({ ...c, keyHint: "", baseUrl: null, effectiveBaseUrl: "" }));
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Usage imports</h1>
          <p className="muted">Each file is imported whole or not at all. Re-uploading the same file changes nothing; a newer file replaces older rows for the same team × model × period. <a href="/imports/guide">Importing your usage: what to export and how each column is read</a>.</p>
        </div>
      </div>
      <UsageUpload models={opts.models} canAdmin={ctx.role === "ADMIN"} />
      <ConnectorsSection connectors={shown} canAdmin={ctx.role === "ADMIN"} today={new Date().toISOString().slice(0, 10)} />
      <h2>Import history</h2>
      {history.rows.length === 0 ? <div className="empty">No imports yet.</div> : (
        <div className="table-wrap">
          <table className="data">
            <thead><tr><th>File</th><th>Format</th><th>Status</th><th>By</th><th>When</th><th className="num">Accepted</th><th className="num">Rejected</th><th className="num">Replaced</th><th>Errors</th></tr></thead>
            <tbody>
              {history.rows.map((r) => (
                <tr key={r.id}>
                  <td>{r.fileName} {r.isDemo && <span className="badge demo">demo</span>}<div className="muted" title={r.fileHash}>sha256 {r.fileHash.slice(0, 12)}…</div></td>
                  <td>{r.format}</td>
                  <td><span className={`badge ${r.status === "COMPLETED" ? "ok" : "bad"}`}>{r.status.toLowerCase()}</span>{r.message && <div className="muted">{r.message}</div>}</td>
                  <td>{r.createdBy}</td>
                  <td>{fmtDateTime(r.createdAt)}</td>
                  <td className="num">{r.rowsAccepted}</td><td className="num">{r.rowsRejected}</td><td className="num">{r.rowsReplaced}</td>
                  <td>{r.rowsRejected > 0 ? <a href={`/api/v1/usage/imports/${r.id}/errors`} download>Error report (CSV)</a> : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager page={page} pageSize={25} total={history.total} base="/imports" />
        </div>
      )}
    </>
  );
}
