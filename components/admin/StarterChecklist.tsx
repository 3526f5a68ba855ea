"use client";
import Link from "next/link";
import { useState } from "react";
import { FormError } from "@/components/ui/Field";
import { useSubmit } from "@/components/ui/useApi";

type Item = { key: string; label: string; done: boolean; detail: string; href: string };
type StarterModel = { provider: string; name: string; class: string; input: string; output: string; cachedInput?: string };

/** The new org's guided first steps; each tick comes from the org's data, re-read on every render. */
export function StarterChecklist({ items, done, total, catalogEmpty, starter }: { items: Item[]; done: number; total: number; catalogEmpty: boolean; starter: { label: string; pricesAsOf: string; unit: string; models: StarterModel[] } }) {
  return (
    <section className="panel" aria-labelledby="starter-h" data-testid="starter-checklist">
      <h2 id="starter-h">Getting started: {done} of {total} done</h2>
      <ol className="checklist">
        {items.map((i) => (
          <li key={i.key} data-done={i.done}>
            <span aria-hidden="true">{i.done ? "☑" : "☐"}</span> <Link href={i.href}>{i.label}</Link>{" "}
            <span className="muted">
              — {i.done ? "done" : "to do"} ({i.detail})
            </span>
          </li>
        ))}
      </ol>
      {catalogEmpty && <StarterCatalog starter={starter} />}
    </section>
  );
}

function StarterCatalog({ starter }: { starter: { label: string; pricesAsOf: string; unit: string; models: StarterModel[] } }) {
  const { submit, pending, error } = useSubmit<{ added: number }>("/api/v1/org/starter");
  const [confirmed, setConfirmed] = useState(false);
  return (
    <details>
      <summary>Start the catalog from the starter list ({starter.models.length} public models)</summary>
      <p className="warning">
        {starter.label}. Prices as of {starter.pricesAsOf}, in {starter.unit}; providers change them — check each against the provider&apos;s page (and your own
        negotiated prices) before you rely on them. You can add newer prices in the catalog afterwards.
      </p>
      <div className="table-wrap">
        <table className="data">
          <caption className="muted">Starter list, prices as of {starter.pricesAsOf}</caption>
          <thead>
            <tr><th scope="col">Provider</th><th scope="col">Model</th><th scope="col">Class</th><th scope="col">Input</th><th scope="col">Cached input</th><th scope="col">Output</th></tr>
          </thead>
          <tbody>
            {starter.models.map((m) => (
              <tr key={`${m.provider} ${m.name}`}>
                <td>{m.provider}</td><td>{m.name}</td><td>{m.class}</td><td>{m.input}</td><td>{m.cachedInput ?? "—"}</td><td>{m.output}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form
        className="form inline"
        aria-label="Add the starter list"
        onSubmit={async (e) => {
          e.preventDefault();
          await submit({ confirm: confirmed });
        }}
      >
        <label className="inline">
          <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} /> I have checked these list prices
        </label>
        <button className="btn primary" aria-disabled={pending}>{pending ? "Adding…" : `Add ${starter.models.length} models to the catalog`}</button>
        {error?.fields.confirm && <p role="alert" className="error">Confirm: {error.fields.confirm}</p>}
        {error && !error.fields.confirm && <FormError error={error} />}
      </form>
    </details>
  );
}
