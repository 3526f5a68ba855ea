import { pageCtx } from "@/lib/auth/page";
import { listAudit } from "@/lib/services/admin";
import { fmtDateTime } from "@/lib/format";

export const metadata = { title: "Audit log" };

export default async function AuditPage() {
  const ctx = await pageCtx(["ADMIN"]);
  const events = await listAudit(ctx, 200);
  return (
    <>
      <div className="page-head"><div><h1>Audit log</h1><p className="muted">The latest 200 changes in this organization: who, when, what.</p></div></div>
      {events.length === 0 ? <div className="empty">No changes recorded yet.</div> : (
        <div className="table-wrap">
          <table className="data">
            <thead><tr><th>When</th><th>Action</th><th>Entity</th><th>Details</th></tr></thead>
            <tbody>
              {events.map((e) => (
                <tr key={e.id}><td>{fmtDateTime(e.at)}</td><td><code>{e.action}</code></td><td>{e.entity}</td><td className="muted" style={{ maxWidth: 520, overflowWrap: "anywhere" }}>{JSON.stringify(e.data)}</td></tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
