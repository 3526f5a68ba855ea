import { pageCtx } from "@/lib/auth/page";
import { listApiTokens } from "@/lib/services/admin";
import { CreateTokenForm, RevokeTokenButton } from "@/components/admin/TokenForms";
import { fmtDateTime } from "@/lib/format";

export const metadata = { title: "API tokens" };

export default async function TokensPage() {
  const ctx = await pageCtx(["ADMIN"]);
  const tokens = await listApiTokens(ctx);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>API tokens</h1>
          <p className="muted">Tokens act for this organization on <a href="/api/v1/openapi.json">/api/v1</a> (e.g. usage imports). Only a hash is stored; the secret is shown once.</p>
        </div>
      </div>
      <section className="panel"><h2>New token</h2><CreateTokenForm /></section>
      {tokens.length === 0 ? (
        <div className="empty">No API tokens yet.</div>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead><tr><th>Name</th><th>Prefix</th><th>Scope</th><th>Created</th><th>Last used</th><th>Status</th><th></th></tr></thead>
            <tbody>
              {tokens.map((t) => (
                <tr key={t.id}>
                  <td>{t.name}</td><td><code>{t.prefix}…</code></td><td>{t.scope.toLowerCase()}</td><td>{fmtDateTime(t.createdAt)}</td><td>{fmtDateTime(t.lastUsedAt)}</td>
                  <td>{t.revokedAt ? <span className="badge bad">revoked {fmtDateTime(t.revokedAt)}</span> : t.expiresAt && t.expiresAt.getTime() <= Date.now() ? <span className="badge bad">expired {fmtDateTime(t.expiresAt)}</span> : <span className="badge ok">active{t.expiresAt ? ` until ${fmtDateTime(t.expiresAt)}` : ""}</span>}</td>
                  <td>{!t.revokedAt && <RevokeTokenButton id={t.id} name={t.name} />}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
