"use client";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { RowErrorTable } from "@/components/ui/RowErrorTable";

type Result = { status: string; rowsTotal: number; rowsAccepted: number; errors: { line: number; column: string; reason: string }[]; message: string };

export function QuoteUpload() {
  const router = useRouter();
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Result | null>(null);
  const [error, setError] = useState<string | null>(null);
  async function upload(file: File) {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const res = await fetch(`/api/v1/quotes/upload?fileName=${encodeURIComponent(file.name)}`, { method: "POST", body: file, headers: { "content-type": "text/csv" } });
      const body = await res.json();
      if (!res.ok) throw new Error(body?.error?.message ?? `Upload failed (${res.status})`);
      setResult(body);
      router.refresh();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
      if (input.current) input.current.value = "";
    }
  }
  return (
    <section className="panel" aria-label="Import quotes">
      <h2 style={{ marginTop: 0 }}>Import quotes (CSV)</h2>
      <p className="muted">Header: <code>as_of,source,source_type,kind,model_class,model,delivery_month,bid,ask,mid,quantity_tokens</code>. kind is FORWARD, SPOT_LIST or SPOT_REALIZED; prices are USD per 1M tokens. One invalid quote rejects the batch, with every reason listed. Curves rebuild after each import.</p>
      <label>
        Quotes file
        <input ref={input} type="file" accept=".csv,text/csv" aria-disabled={busy} onClick={(e) => busy && e.preventDefault()} onChange={(e) => e.target.files?.[0] && upload(e.target.files[0])} />
      </label>
      {busy && <p role="status" className="muted">Importing…</p>}
      {error && <p role="alert" className="error">{error}</p>}
      {result && (
        <div data-testid="quote-result">
          <p role="status" className={result.status === "COMPLETED" ? "success" : result.status === "DUPLICATE" ? "warning" : "error"}>{result.message}</p>
          {result.errors.length > 0 && (
            <RowErrorTable errors={result.errors} limit={100} />
          )}
        </div>
      )}
    </section>
  );
}
