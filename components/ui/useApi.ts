"use client";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";

export type ApiError = { message: string; fields: Record<string, string> };

export async function apiFetch<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, { ...init, headers: { "content-type": "application/json", ...(init?.headers ?? {}) } });
  const text = await res.text();
  const body = text ? JSON.parse(text) : null;
  if (!res.ok) {
    const err = body?.error ?? { message: `Request failed (${res.status})` };
    const fields: Record<string, string> = {};
    for (const i of err.issues ?? []) fields[String(i.path).replace(/^(body|query)\./, "")] = i.message;
    throw Object.assign(new Error(err.message), { fields });
  }
  return body as T;
}

/** Submits JSON to an API route, exposes field errors by name, refreshes server data on success. */
export function useSubmit<T = unknown>(url: string, method: "POST" | "PUT" | "DELETE" | "PATCH" = "POST") {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  // buttons show `pending` with aria-disabled (a disabled button would drop keyboard focus), so a second click lands here
  const inFlight = useRef(false);
  async function submit(body?: unknown, urlOverride?: string): Promise<T | null> {
    if (inFlight.current) return null;
    inFlight.current = true;
    setPending(true);
    setError(null);
    try {
      const r = await apiFetch<T>(urlOverride ?? url, { method, body: body === undefined ? undefined : JSON.stringify(body) });
      router.refresh();
      return r;
    } catch (e) {
      setError({ message: (e as Error).message, fields: (e as { fields?: Record<string, string> }).fields ?? {} });
      return null;
    } finally {
      inFlight.current = false;
      setPending(false);
    }
  }
  return { submit, pending, error };
}

export function formObject(form: HTMLFormElement): Record<string, string> {
  const out: Record<string, string> = {};
  new FormData(form).forEach((v, k) => {
    if (typeof v === "string" && v.trim() !== "") out[k] = v.trim();
  });
  return out;
}
