"use client";
import { useState } from "react";
import { Field, FormError } from "@/components/ui/Field";
import { formObject, useSubmit } from "@/components/ui/useApi";

const today = () => new Date().toISOString().slice(0, 10);

export function CreateClassForm() {
  const { submit, pending, error } = useSubmit("/api/v1/model-classes");
  return (
    <form className="form inline" onSubmit={async (e) => { e.preventDefault(); const f = e.currentTarget; if (await submit(formObject(f))) f.reset(); }}>
      <Field name="key" label="Key (e.g. general-chat)" error={error} required />
      <Field name="name" label="Name" error={error} required />
      <Field name="description" label="Description" error={error} />
      <button className="btn primary" aria-disabled={pending}>Add class</button>
      <FormError error={error} />
    </form>
  );
}

export function CreateModelForm({ classes }: { classes: { id: string; name: string }[] }) {
  const { submit, pending, error } = useSubmit("/api/v1/models");
  return (
    <form className="form inline" onSubmit={async (e) => { e.preventDefault(); const f = e.currentTarget; if (await submit(formObject(f))) f.reset(); }}>
      <Field name="provider" label="Provider" error={error} required />
      <Field name="name" label="Model" error={error} required />
      <Field name="modelClassId" label="Class" error={error}>
        <select name="modelClassId">{classes.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}</select>
      </Field>
      <Field name="version" label="Version" error={error} required />
      <Field name="effectiveFrom" label="Effective from" type="date" defaultValue={today()} error={error} required />
      <Field name="inputUsdPerMTokens" label="Input $/1M" inputMode="decimal" error={error} required />
      <Field name="outputUsdPerMTokens" label="Output $/1M" inputMode="decimal" error={error} required />
      <Field name="cachedInputUsdPerMTokens" label="Cached input $/1M" inputMode="decimal" error={error} />
      <button className="btn primary" aria-disabled={pending}>Add model</button>
      <FormError error={error} />
    </form>
  );
}

export function ModelRowActions({ modelId, label }: { modelId: string; label: string }) {
  const [open, setOpen] = useState<"price" | "version" | null>(null);
  const price = useSubmit(`/api/v1/models/${modelId}/prices`);
  const version = useSubmit(`/api/v1/models/${modelId}/versions`);
  const s = open === "price" ? price : version;
  return (
    <div>
      <button type="button" className="btn link" aria-expanded={open === "price"} aria-label={`New price for ${label}`} onClick={() => setOpen(open === "price" ? null : "price")}>New price</button>{" · "}
      <button type="button" className="btn link" aria-expanded={open === "version"} aria-label={`New version for ${label}`} onClick={() => setOpen(open === "version" ? null : "version")}>New version</button>
      {open && (
        <form
          aria-label={`${open === "price" ? "New price" : "New version"} for ${label}`}
          className="form"
          style={{ marginTop: ".5rem" }}
          onSubmit={async (e) => { e.preventDefault(); if (await s.submit(formObject(e.currentTarget))) setOpen(null); }}
        >
          <Field name="effectiveFrom" label="Effective from" type="date" defaultValue={today()} error={s.error} required />
          {open === "price" ? (
            <>
              <Field name="inputUsdPerMTokens" label="Input $/1M" inputMode="decimal" error={s.error} required />
              <Field name="outputUsdPerMTokens" label="Output $/1M" inputMode="decimal" error={s.error} required />
            </>
          ) : (
            <Field name="version" label="Version" error={s.error} required />
          )}
          <button className="btn primary" aria-disabled={s.pending}>Save</button>
          <FormError error={s.error} />
        </form>
      )}
    </div>
  );
}

export function QualityScoreForm({ classId, label }: { classId: string; label: string }) {
  const [open, setOpen] = useState(false);
  const { submit, pending, error } = useSubmit(`/api/v1/model-classes/${classId}/quality`);
  if (!open) return <button type="button" className="btn link" aria-label={`New score for ${label}`} onClick={() => setOpen(true)}>New score</button>;
  return (
    <form aria-label={`Quality score for ${label}`} className="form" onSubmit={async (e) => { e.preventDefault(); if (await submit(formObject(e.currentTarget))) setOpen(false); }}>
      <Field name="benchmark" label="Benchmark" defaultValue="Composite" error={error} required />
      <Field name="score" label="Score" inputMode="decimal" error={error} required />
      <Field name="effectiveFrom" label="Effective from" type="date" defaultValue={today()} error={error} required />
      <button className="btn primary" aria-disabled={pending}>Save score</button>
      <FormError error={error} />
    </form>
  );
}
