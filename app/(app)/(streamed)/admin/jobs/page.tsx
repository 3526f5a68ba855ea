import { pageCtx } from "@/lib/auth/page";
import { jobRunLog } from "@/lib/services/admin";
import { Pager } from "@/components/ui/Pager";
import { fmtDateTime } from "@/lib/format";
import { fmtDuration } from "@/lib/summaries";

export const metadata = { title: "Job log" };

export default async function JobsPage({ searchParams }: { searchParams: Promise<{ page?: string }> }) {
  const ctx = await pageCtx(["ADMIN"]);
  const page = Math.max(1, Number((await searchParams).page) || 1);
  const { rows: runs, total } = await jobRunLog(ctx, page, 50);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Job log</h1>
          <p className="muted">Background jobs run in the worker process (pg-boss on the same PostgreSQL): after imports and nightly.</p>
        </div>
      </div>
      {runs.length === 0 ? (
        <div className="empty">No job has run yet. Jobs run after imports and on the nightly schedule.</div>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead><tr><th>Job</th><th>Status</th><th>Started</th><th className="num">Duration</th><th>Worker</th><th>What it did</th></tr></thead>
            <tbody>
              {runs.map((r, i) => (
                <tr key={r.id}>
                  <td><code>{r.name}</code></td>
                  <td><span className={`badge ${r.status === "FAILED" ? "bad" : r.status === "SUCCEEDED" ? "ok" : "flag"}`}>{r.status.toLowerCase()}</span></td>
                  <td>{fmtDateTime(r.startedAt)}</td>
                  <td className="num">{r.durationMs === null ? "—" : fmtDuration(r.durationMs)}</td>
                  <td><span className="muted">{r.worker ?? "—"}</span></td>
                  <td style={{ maxWidth: 520, overflowWrap: "anywhere" }}>
                    <span className={r.error ? "error" : undefined}>{r.summary}</span>
                    {!r.error && r.details && typeof r.details === "object" && Object.keys(r.details).length > 0 && (
                      <details>
                        <summary>Raw details<span className="sr-only"> of row {i + 1}, {r.name}</span></summary>
                        <pre className="muted" style={{ whiteSpace: "pre-wrap", margin: 0 }}>{JSON.stringify(r.details, null, 2)}</pre>
                      </details>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager page={page} pageSize={50} total={total} base="/admin/jobs" />
        </div>
      )}
    </>
  );
}
