"use client";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { apiFetch } from "@/components/ui/useApi";
import { RowErrorTable } from "@/components/ui/RowErrorTable";
import { usePickToApply } from "@/components/ui/usePickToApply";
import { csvLine } from "@/lib/domain/csv";
import { fmtCount, plural } from "@/lib/summaries";

type Summary = {
  status: "VALID" | "COMPLETED" | "REJECTED" | "DUPLICATE";
  importId: string | null;
  format: string;
  rowsTotal: number;
  rowsAccepted: number;
  rowsRejected: number;
  rowsReplaced: number;
  /** invalid rows as a share of all rows (%), and the organization's threshold above which a file is rejected */
  errorPct?: number;
  errorThresholdPct?: number;
  errors: { line: number; column: string; reason: string }[];
  unknownModels: { provider: string; model: string; rows: number; suggestion?: { modelId: string; provider: string; model: string } }[];
  unknownTeams: { source: string; value: string; rows: number; suggestion?: string }[];
  /** FOCUS files: the cost column costs were taken from (org setting focus.costColumn) */
  costColumn?: string | null;
  snapshots?: { provider: string; model: string; snapshot: string; date: string; isNew: boolean }[];
  message: string;
};

/** The check's error report, built from the errors it returned (cells starting with = + - @ are neutralised). */
function errorReportCsv(errors: Summary["errors"]) {
  return ["line,column,reason", ...errors.map((e) => csvLine([e.line, e.column, e.reason]))].join("\n") + "\n";
}

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

const SOURCE_NAMES: Record<string, string> = { NAME: "team name" };
const sourceName = (s: string) => SOURCE_NAMES[s] ?? s.toLowerCase().replace(/_/g, " ");
type Opt = { id: string; name: string };

/** Uploads with XHR for byte progress and cancel; the server streams the body, so cancel aborts the import whole. */
function upload(file: File, mode: "validate" | "commit", onErrors: string, onProgress: (p: number) => void, onRows: (rows: number) => void) {
  const xhr = new XMLHttpRequest();
  const uploadId = crypto.randomUUID();
  // the server reports rows processed every 25,000 rows; poll while the request is open
  const poll = setInterval(async () => {
    const res = await fetch(`/api/v1/usage/imports/progress/${uploadId}`).catch(() => null);
    if (res?.ok) onRows((await res.json()).rowsProcessed);
  }, 1000);
  const promise = new Promise<Summary>((resolve, reject) => {
    const qs = new URLSearchParams({ fileName: file.name, mode, onErrors, uploadId });
    xhr.open("POST", `/api/v1/usage/imports?${qs}`);
    xhr.setRequestHeader("content-type", file.type || "text/csv");
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => {
      const body = xhr.responseText ? JSON.parse(xhr.responseText) : {};
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as Summary);
      else reject(new Error(body?.error?.message ?? `Upload failed (${xhr.status})`));
    };
    xhr.onerror = () => reject(new Error("Network error during upload"));
    xhr.onabort = () => reject(new Error("Upload cancelled: nothing was imported"));
    xhr.send(file);
  }).finally(() => clearInterval(poll));
  return { promise, cancel: () => xhr.abort() };
}

export function UsageUpload({ models, canAdmin = false }: { models: Opt[]; canAdmin?: boolean }) {
  const router = useRouter();
  const [file, setFile] = useState<File | null>(null);
  const [over, setOver] = useState(false);
  const [progress, setProgress] = useState<number | null>(null);
  const [rows, setRows] = useState<number | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [summary, setSummary] = useState<Summary | null>(null);
  const [error, setError] = useState<string | null>(null);
  const cancelRef = useRef<(() => void) | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const chooseRef = useRef<HTMLButtonElement>(null);
  const outcomeRef = useRef<HTMLDivElement>(null);

  // a step's button can vanish with the step (Import, Reject file, a mapped model's select): then focus goes to
  // the outcome, or back to "choose a file", rather than to the page's body (WCAG 2.4.3)
  useEffect(() => {
    if (busy || (document.activeElement && document.activeElement !== document.body)) return;
    (outcomeRef.current ?? chooseRef.current)?.focus();
  }, [summary, error, busy]);

  async function run(mode: "validate" | "commit", onErrors = "reject") {
    if (!file || busy) return;
    setError(null);
    setProgress(0);
    setRows(null);
    setBusy(mode === "validate" ? "Checking file…" : "Importing…");
    const u = upload(file, mode, onErrors, setProgress, setRows);
    cancelRef.current = u.cancel;
    try {
      setSummary(await u.promise);
      if (mode === "commit") router.refresh();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(null);
      setProgress(null);
      cancelRef.current = null;
    }
  }

  function choose(f: File | null | undefined) {
    if (!f) return;
    setFile(f);
    setSummary(null);
    setError(null);
  }

  async function mapModel(provider: string, model: string, modelId: string) {
    try {
      await apiFetch("/api/v1/model-aliases", { method: "POST", body: JSON.stringify({ alias: `${provider}/${model}`, modelId }) });
      await run("validate");
    } catch (e) {
      setError((e as Error).message);
    }
  }

  return (
    <section className="panel" aria-label="Upload usage">
      <div
        className={`dropzone${over ? " over" : ""}`}
        onDragOver={(e) => { e.preventDefault(); setOver(true); }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => { e.preventDefault(); setOver(false); choose(e.dataTransfer.files?.[0]); }}
      >
        <p><strong>Drop a usage file here</strong> or{" "}
          <button ref={chooseRef} type="button" className="btn link" onClick={() => inputRef.current?.click()}>choose a file</button>
        </p>
        <p className="muted">Tokenhedge CSV, FOCUS CSV, OpenAI or Anthropic usage export (CSV or JSON). The format is detected from the header.</p>
        <input ref={inputRef} type="file" accept=".csv,.json,text/csv,application/json" aria-label="Usage file" style={{ display: "none" }} onChange={(e) => choose(e.target.files?.[0])} />
        {file && <p data-testid="chosen-file" role="status">Selected: <strong>{file.name}</strong> ({(file.size / 1024).toFixed(1)} KB)</p>}
      </div>
      <div className="form inline" style={{ marginTop: "1rem" }}>
        <button type="button" className="btn primary" disabled={!file} aria-disabled={!!busy} onClick={() => run("validate")}>Check file</button>
        {busy && <button type="button" className="btn" onClick={() => cancelRef.current?.()}>Cancel</button>}
      </div>
      {busy && (
        <div role="status" style={{ marginTop: ".75rem" }}>
          {busy} {progress !== null && <progress max={1} value={progress} aria-label="Upload progress" />}
          <span className="muted">{progress !== null ? `${Math.round(progress * 100)}% uploaded` : ""}{rows !== null ? ` · ${rows.toLocaleString("en-US")} rows processed` : ""}</span>
        </div>
      )}
      {error && <p role="alert" className="error" style={{ marginTop: ".75rem" }}>{error}</p>}
      {summary && (
        <div style={{ marginTop: "1rem" }} data-testid="import-summary" ref={outcomeRef} tabIndex={-1}>
          <p className={summary.status === "COMPLETED" || summary.status === "VALID" ? "success" : summary.status === "DUPLICATE" ? "warning" : "error"} role="status">
            <strong>{summary.status === "VALID" ? "Ready" : summary.status.toLowerCase()}</strong> · {summary.format} format ·{" "}
            {summary.status === "VALID" && summary.rowsRejected > 0
              ? `${fmtCount(summary.rowsAccepted)} of ${plural(summary.rowsTotal, "row")} are valid; ${plural(summary.rowsRejected, "invalid row")}${summary.errorPct !== undefined ? ` (${summary.errorPct}%)` : ""} ${summary.rowsRejected === 1 ? "is" : "are"} under the organization's${summary.errorThresholdPct !== undefined ? ` ${summary.errorThresholdPct}%` : ""} limit, so you can import the valid rows and skip ${summary.rowsRejected === 1 ? "it" : "them"}, or reject the file.`
              : summary.message}
          </p>
          <p className="muted">
            {plural(summary.rowsTotal, "row")}: {fmtCount(summary.rowsAccepted)} accepted, {fmtCount(summary.rowsRejected)} rejected{summary.rowsReplaced ? `, ${fmtCount(summary.rowsReplaced)} replaced` : ""}.
            {summary.errorPct !== undefined && summary.errorThresholdPct !== undefined && summary.rowsRejected > 0 && summary.status !== "VALID" && (
              <> Invalid rows: <strong data-testid="error-share">{summary.errorPct}%</strong> of the file; the organization rejects a whole file above {summary.errorThresholdPct}%.</>
            )}
            {summary.costColumn && <> Costs are taken from the FOCUS column <code>{summary.costColumn}</code> (organization setting).</>}
          </p>
          {summary.snapshots && summary.snapshots.length > 0 && (
            <div>
              <h3>Dated model names</h3>
              <ul data-testid="snapshots">
                {summary.snapshots.map((v) => (
                  <li key={`${v.provider}/${v.snapshot}`}>
                    <code>{v.snapshot}</code> → {v.provider} {v.model} ({v.date}){" "}
                    {v.isNew
                      ? <span className="badge flag">new model version</span>
                      : <span className="muted">known version</span>}
                    {v.isNew && <span className="muted"> {summary.status === "COMPLETED" ? "recorded in the catalog" : "recorded in the catalog when imported"}</span>}
                  </li>
                ))}
              </ul>
            </div>
          )}
          {summary.unknownModels.length > 0 && (
            <div className="panel">
              <h3>{summary.unknownModels.length === 1 ? "Map this unknown model" : `Map these ${summary.unknownModels.length} unknown models`}</h3>
              <ul>
                {summary.unknownModels.map((u) => (
                  <li key={`${u.provider}/${u.model}`} style={{ marginBottom: ".5rem" }}>
                    <code>{u.provider} {u.model}</code> ({plural(u.rows, "row")}) →{" "}
                    <MapModelSelect model={u.model} models={models} suggested={u.suggestion && models.some((m) => m.id === u.suggestion!.modelId) ? u.suggestion.modelId : ""} onMap={(modelId) => mapModel(u.provider, u.model, modelId)} />
                    {u.suggestion && <span className="muted"> suggested: {u.suggestion.provider} {u.suggestion.model}</span>}
                  </li>
                ))}
              </ul>
            </div>
          )}
          {summary.unknownTeams.length > 0 && (
            <div className="warning" data-testid="unknown-teams">
              <p style={{ margin: 0 }}>{summary.unknownTeams.length === 1 ? "Unknown team:" : `${summary.unknownTeams.length} unknown teams:`}</p>
              <ul style={{ margin: ".25rem 0" }}>
                {summary.unknownTeams.map((t) => (
                  <li key={`${t.source}:${t.value}`}>
                    <code>{t.value}</code> ({sourceName(t.source)}, {plural(t.rows, "row")}){t.suggestion ? <> — closest team: <strong>{t.suggestion}</strong></> : " — no similar team name"}
                  </li>
                ))}
              </ul>
              <p style={{ margin: 0 }}>
                {canAdmin
                  ? "Correct the name in the file, or create the team or map the project, workspace or API key under Admin → Teams / Mappings, then check again."
                  : "Correct the team name in the file and check again, or ask an admin to create the team or map the project, workspace or API key."}
              </p>
            </div>
          )}
          {summary.status === "VALID" && (
            <div className="form inline">
              <button type="button" className="btn primary" aria-disabled={!!busy} onClick={() => run("commit", summary.rowsRejected ? "import-valid" : "reject")}>
                {summary.rowsRejected ? `Import the ${fmtCount(summary.rowsAccepted)} valid rows` : `Import ${plural(summary.rowsAccepted, "row")}`}
              </button>
              {summary.rowsRejected > 0 && <button type="button" className="btn" onClick={() => { setSummary(null); setFile(null); }}>Reject file</button>}
            </div>
          )}
          {summary.errors.length > 0 && !summary.importId && (
            <p>
              <button type="button" className="btn" onClick={() => download(`${(file?.name ?? "usage").replace(/[^\w.-]+/g, "_")}-check-errors.csv`, errorReportCsv(summary.errors))}>
                Download error report (CSV)
              </button>
            </p>
          )}
          {summary.errors.length > 0 && summary.importId && (
            <p><a href={`/api/v1/usage/imports/${summary.importId}/errors`} download>Download error report (CSV)</a></p>
          )}
          {summary.errors.length > 0 && (
            <details open={summary.errors.length <= 20}>
              <summary>{summary.rowsRejected} invalid rows (first {summary.errors.length} problems)</summary>
              <RowErrorTable errors={summary.errors} />
            </details>
          )}
        </div>
      )}
    </section>
  );
}

/** Picking a model with the pointer maps it at once; stepping with the arrow keys waits for Enter or "Map" (WCAG 3.2.2). */
function MapModelSelect({ model, models, suggested, onMap }: { model: string; models: Opt[]; suggested: string; onMap: (modelId: string) => void }) {
  // the suggestion is pre-selected: "Map" (or Enter) accepts it; it is not applied until then
  const pick = usePickToApply(suggested, (v) => v && onMap(v));
  return (
    <>
      <select aria-label={`Catalog model for ${model}`} {...pick.selectProps}>
        <option value="">Choose catalog model…</option>
        {models.map((m) => <option key={m.id} value={m.id}>{m.name}</option>)}
      </select>{" "}
      <button type="button" className="btn" aria-label={`Map ${model}`} onClick={() => pick.draft && onMap(pick.draft)}>Map</button>
    </>
  );
}
