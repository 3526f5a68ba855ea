import { pageCtx } from "@/lib/auth/page";
import { auditLog } from "@/lib/services/admin";
import { fmtDateTime } from "@/lib/format";

export const metadata = { title: "Audit log" };

export default async function AuditPage() {
  const ctx = await pageCtx(["ADMIN"]);
  const events = await auditLog(ctx, 200);
  return (
    <>
      <div className="page-head"><div><h1>Audit log</h1><p className="muted">The latest 200 changes in this organization: who, when, what.</p></div></div>
      {events.length === 0 ? <div className="empty">No changes recorded yet.</div> : (
        <div className="table-wrap">
          <table className="data">
            <thead><tr><th>When</th><th>What happened</th><th>Action</th><th>Entity</th></tr></thead>
            <tbody>
              {events.map((e, i) => (
                <tr key={e.id}>
                  <td>{fmtDateTime(e.at)}</td>
                  <td style={{ maxWidth: 520, overflowWrap: "anywhere" }}>
                    {e.summary}
                    <details>
                      <summary>Raw data<span className="sr-only"> of row {i + 1}, {e.action}</span></summary>
                      <pre className="muted" style={{ whiteSpace: "pre-wrap", margin: 0 }}>{JSON.stringify(e.data, null, 2)}</pre>
                    </details>
                  </td>
                  <td><code>{e.action}</code></td>
                  <td>{e.entity}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
