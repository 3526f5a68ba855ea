"use client";
import { cloneElement, isValidElement, useId } from "react";
import type { ApiError } from "./useApi";
import { ISO_DATE_INPUT } from "./date-input";

type ControlProps = { id?: string; "aria-invalid"?: boolean; "aria-describedby"?: string };

/**
 * Labelled input whose API validation error (by field name) is shown beneath it and announced. The id comes
 * from useId(), so two forms on one page never share one (WCAG 4.1.2); a select passed as children gets the
 * same id, invalid state and error description.
 */
export function Field({
  name,
  label,
  error,
  children,
  ...input
}: { name: string; label: string; error: ApiError | null; children?: React.ReactElement<ControlProps> } & React.InputHTMLAttributes<HTMLInputElement>) {
  const msg = error?.fields[name];
  const id = useId();
  const errId = `${id}-err`;
  const control = { id, "aria-invalid": !!msg, "aria-describedby": msg ? errId : undefined };
  // dates are typed and shown as YYYY-MM-DD (components/ui/date-input.ts); min/max stay for the API to enforce
  if (input.type === "date") {
    const { min: _min, max: _max, ...rest } = input;
    input = { ...rest, ...ISO_DATE_INPUT };
  }
  return (
    <label htmlFor={id}>
      {label}
      {isValidElement(children) ? cloneElement(children, control) : <input name={name} {...control} {...input} />}
      {msg && (
        <span id={errId} className="field-error">
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
