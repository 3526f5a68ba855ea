import { pageCtx } from "@/lib/auth/page";
import { listJobRuns } from "@/lib/services/admin";
import { Pager } from "@/components/ui/Pager";
import { fmtDateTime } from "@/lib/format";

export const metadata = { title: "Job log" };

export default async function JobsPage({ searchParams }: { searchParams: Promise<{ page?: string }> }) {
  const ctx = await pageCtx(["ADMIN"]);
  const page = Math.max(1, Number((await searchParams).page) || 1);
  const [runs, total] = await listJobRuns(ctx, page, 50);
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
            <thead><tr><th>Job</th><th>Status</th><th>Started</th><th className="num">Duration</th><th>Result / error</th></tr></thead>
            <tbody>
              {runs.map((r) => (
                <tr key={r.id}>
                  <td><code>{r.name}</code></td>
                  <td><span className={`badge ${r.status === "FAILED" ? "bad" : r.status === "SUCCEEDED" ? "ok" : "flag"}`}>{r.status.toLowerCase()}</span></td>
                  <td>{fmtDateTime(r.startedAt)}</td>
                  <td className="num">{r.durationMs === null ? "—" : `${(r.durationMs / 1000).toFixed(2)} s`}</td>
                  <td className={r.error ? "error" : "muted"}>{r.error ?? JSON.stringify(r.details)}</td>
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
