"use client";
import type { ApiError } from "./useApi";

/** Labelled input whose API validation error (by field name) is shown beneath it and announced. */
export function Field({
  name,
  label,
  error,
  children,
  ...input
}: { name: string; label: string; error: ApiError | null; children?: React.ReactNode } & React.InputHTMLAttributes<HTMLInputElement>) {
  const msg = error?.fields[name];
  const id = `f-${name}`;
  return (
    <label htmlFor={id}>
      {label}
      {children ?? <input id={id} name={name} aria-invalid={!!msg} aria-describedby={msg ? `${id}-err` : undefined} {...input} />}
      {msg && (
        <span id={`${id}-err`} className="field-error">
          {msg}
        </span>
      )}
    </label>
  );
}

export function FormError({ error }: { error: ApiError | null }) {
  if (!error) return null;
  // Field problems are shown beside their fields; repeat only the count here so nothing is said twice.
  const n = Object.keys(error.fields).length;
  return (
    <p role="alert" className="error">
      {n ? `${n === 1 ? "One field needs" : `${n} fields need`} attention.` : error.message}
    </p>
  );
}
