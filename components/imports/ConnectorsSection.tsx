import type { ConnectorView, SyncRunView } from "@/lib/services/connectors/connectors";
import { fmtDateTime } from "@/lib/format";
import { fmtCount } from "@/lib/summaries";
import { AddConnector, ConnectorActions, ReplaceKeyForm } from "./ConnectorForms";

type Connector = ConnectorView & { recentRuns: SyncRunView[] };
const PROVIDER = { OPENAI: "OpenAI", ANTHROPIC: "Anthropic" } as const;

function RunRow({ r }: { r: SyncRunView }) {
  return (
    <tr>
      <td>{fmtDateTime(r.startedAt)}</td>
      <td>{r.trigger}</td>
      <td><span className={`badge ${r.status === "SUCCEEDED" ? "ok" : r.status === "FAILED" ? "bad" : ""}`}>{r.status.toLowerCase()}</span></td>
      <td>{r.fromDay} → {r.toDay}</td>
      <td className="num">{r.daysChanged} / {r.days}</td>
      <td className="num">{fmtCount(r.rowsImported)}</td>
      <td className="num">{fmtCount(r.rowsRejected)}</td>
      <td>{r.error ?? r.message ?? "—"}{r.importId && r.rowsRejected > 0 && <> <a href={`/api/v1/usage/imports/${r.importId}/errors`} download>Error report (CSV)</a></>}</td>
    </tr>
  );
}

/**
 * The imports page's "Connectors" section: each connector's state and recent syncs, with the admin's actions.
 * Procurement sees the state and history (it imports usage too) but not the key hints or the actions.
 */
export function ConnectorsSection({ connectors, canAdmin, today }: { connectors: Connector[]; canAdmin: boolean; today: string }) {
  return (
    <section aria-labelledby="connectors-h">
      <h2 id="connectors-h">Connectors</h2>
      <p className="muted">
        Connectors pull usage from OpenAI&apos;s organization usage API and Anthropic&apos;s usage report API every night (00:30 UTC) and on demand, through the same
        import path as a file: projects, workspaces and API keys map to teams through the team mappings, and days already imported unchanged are skipped.
      </p>
      {connectors.length === 0 ? (
        <div className="empty">No connectors yet.{canAdmin ? " Add one below with an admin key." : " An admin can add one."}</div>
      ) : (
        connectors.map((c) => (
          <div className="panel" key={c.id}>
            <h3>
              {c.name} <span className="muted">({PROVIDER[c.provider]})</span> {!c.enabled && <span className="badge">disabled</span>}
            </h3>
            <p>
              Backfill from {c.startDate} · synced through {c.syncedThrough ?? "—"} · last sync {c.lastSyncAt ? fmtDateTime(c.lastSyncAt) : "never"}
              {canAdmin && <> · key {c.keyHint} · {c.effectiveBaseUrl}</>}
            </p>
            {c.lastError && <p className="warning" role="status">Last sync failed: {c.lastError}</p>}
            {canAdmin && <ConnectorActions id={c.id} name={c.name} enabled={c.enabled} />}
            {c.recentRuns.length === 0 ? (
              <p className="muted">No syncs yet.</p>
            ) : (
              <div className="table-wrap">
                <table className="data">
                  <caption className="sr-only">Recent syncs of {c.name}</caption>
                  <thead><tr><th>Started</th><th>Trigger</th><th>Status</th><th>Days asked</th><th className="num">Days changed</th><th className="num">Rows imported</th><th className="num">Rows skipped</th><th>Result</th></tr></thead>
                  <tbody>{c.recentRuns.map((r) => <RunRow key={r.id} r={r} />)}</tbody>
                </table>
              </div>
            )}
            {canAdmin && (
              <details>
                <summary>Replace the admin key</summary>
                <ReplaceKeyForm id={c.id} name={c.name} />
              </details>
            )}
          </div>
        ))
      )}
      {canAdmin && (
        <AddConnector today={today} initiallyOpen={connectors.length === 0} />
      )}
    </section>
  );
}
