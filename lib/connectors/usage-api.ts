/**
 * Clients for the providers' organization usage APIs, read with an admin key:
 * - OpenAI: GET /v1/organization/usage/completions (start_time / end_time in Unix seconds, end exclusive,
 *   bucket_width=1d, group_by=project_id, model, api_key_id), `Authorization: Bearer <admin key>`;
 * - Anthropic: GET /v1/organizations/usage_report/messages (starting_at / ending_at RFC 3339, bucket_width=1d,
 *   group_by[]=workspace_id, model, api_key_id), `x-api-key` and `anthropic-version` headers.
 * Both answer `{ data: [{ start_time|starting_at, end_time|ending_at, results: [...] }], has_more, next_page }`;
 * pages are followed until has_more is false. A 429 waits for its retry-after (bounded), a 5xx is retried with
 * back-off, a 401/403 is a key error. Results come back as flat records in the columns of the provider's usage
 * export, which the import path (lib/domain/usage-formats.ts) maps — so a connector and a downloaded export of
 * the same usage import identically.
 */
import type { ConnectorProvider } from "@/lib/generated/prisma/enums";
import { publicUrlRefusal } from "./egress";

export const DEFAULT_BASE_URL: Record<ConnectorProvider, string> = {
  OPENAI: "https://api.openai.com",
  ANTHROPIC: "https://api.anthropic.com",
};
export const ANTHROPIC_VERSION = "2023-06-01";

/** Columns of the records each provider yields, in file order (the export format's header). */
export const EXPORT_COLUMNS: Record<ConnectorProvider, readonly string[]> = {
  OPENAI: ["start_time", "end_time", "project_id", "api_key_id", "model", "input_tokens", "output_tokens", "input_cached_tokens", "num_model_requests"],
  ANTHROPIC: [
    "starting_at", "ending_at", "workspace_id", "api_key_id", "model", "uncached_input_tokens",
    "cache_creation.ephemeral_5m_input_tokens", "cache_creation.ephemeral_1h_input_tokens", "cache_read_input_tokens", "output_tokens",
  ],
};

/**
 * Anthropic reports usage of an organization's default workspace with workspace_id null; it is written as this
 * value so it can be mapped to a team like any workspace id.
 */
export const ANTHROPIC_DEFAULT_WORKSPACE = "default";

export type UsageRecord = { day: string; cells: string[] };
export type FetchResult = { records: UsageRecord[]; requests: number; pages: number };

export class ConnectorError extends Error {
  constructor(message: string, readonly status: number | null = null) {
    super(message);
  }
}

export type FetchOptions = {
  provider: ConnectorProvider;
  baseUrl: string;
  adminKey: string;
  /** inclusive, midnight UTC */
  from: Date;
  /** exclusive, midnight UTC */
  to: Date;
  /** waits between attempts (tests shorten nothing: retry-after is honoured as sent, capped) */
  sleep?: (ms: number) => Promise<void>;
  maxAttempts?: number;
  timeoutMs?: number;
  /** a connector's own base URL: every request first checks its host is and resolves to public addresses only (lib/connectors/egress.ts) */
  publicOnly?: boolean;
};

/** A 429's wait: its retry-after (seconds or an HTTP date), capped so a sync cannot hang on one page. */
const MAX_RETRY_AFTER_MS = 60_000;
const PAGE_LIMIT = 31; // the largest page both APIs allow for 1d buckets
const MAX_PAGES = 1000;

export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  const v = header.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.min(MAX_RETRY_AFTER_MS, Math.round(Number(v) * 1000));
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : Math.min(MAX_RETRY_AFTER_MS, Math.max(0, t - now));
}

function pageUrl(o: FetchOptions, page: string | null): URL {
  const base = o.baseUrl.replace(/\/+$/, "");
  if (o.provider === "OPENAI") {
    const u = new URL(`${base}/v1/organization/usage/completions`);
    u.searchParams.set("start_time", String(Math.floor(o.from.getTime() / 1000)));
    u.searchParams.set("end_time", String(Math.floor(o.to.getTime() / 1000)));
    u.searchParams.set("bucket_width", "1d");
    for (const g of ["project_id", "model", "api_key_id"]) u.searchParams.append("group_by", g);
    u.searchParams.set("limit", String(PAGE_LIMIT));
    if (page) u.searchParams.set("page", page);
    return u;
  }
  const u = new URL(`${base}/v1/organizations/usage_report/messages`);
  u.searchParams.set("starting_at", o.from.toISOString());
  u.searchParams.set("ending_at", o.to.toISOString());
  u.searchParams.set("bucket_width", "1d");
  for (const g of ["workspace_id", "model", "api_key_id"]) u.searchParams.append("group_by[]", g);
  u.searchParams.set("limit", String(PAGE_LIMIT));
  if (page) u.searchParams.set("page", page);
  return u;
}

function headers(o: FetchOptions): Record<string, string> {
  return o.provider === "OPENAI"
    ? { authorization: `Bearer ${o.adminKey}`, accept: "application/json" }
    : { "x-api-key": o.adminKey, "anthropic-version": ANTHROPIC_VERSION, accept: "application/json" };
}

const providerName = (p: ConnectorProvider) => (p === "OPENAI" ? "OpenAI" : "Anthropic");

/** The provider's own error message, if its body has one (never the raw body: it is not ours to echo). */
async function errorMessage(res: Response): Promise<string> {
  try {
    const j = (await res.json()) as { error?: { message?: unknown } | string };
    const m = typeof j.error === "string" ? j.error : j.error?.message;
    return typeof m === "string" ? `: ${m.slice(0, 200)}` : "";
  } catch {
    return "";
  }
}

async function getPage(o: FetchOptions, url: URL, count: () => void): Promise<unknown> {
  const sleep = o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  const attempts = o.maxAttempts ?? 5;
  const name = providerName(o.provider);
  for (let attempt = 1; ; attempt++) {
    if (o.publicOnly) {
      const refusal = await publicUrlRefusal(url.href);
      if (refusal) throw new ConnectorError(`The connector's base URL ${refusal}: nothing was sent to it. Use the provider's public API address.`);
    }
    count();
    let res: Response;
    try {
      res = await fetch(url, { headers: headers(o), signal: AbortSignal.timeout(o.timeoutMs ?? 30_000), redirect: "error" });
    } catch (e) {
      if (attempt >= attempts) throw new ConnectorError(`${name} usage API unreachable at ${url.origin}: ${(e as Error).message}`);
      await sleep(Math.min(30_000, 1000 * 2 ** (attempt - 1)));
      continue;
    }
    if (res.ok) {
      try {
        return await res.json();
      } catch {
        throw new ConnectorError(`${name} usage API answered ${res.status} with a body that is not JSON`, res.status);
      }
    }
    if (res.status === 401 || res.status === 403)
      throw new ConnectorError(`${name} refused the admin key (${res.status})${await errorMessage(res)}. Check that it is an admin key with access to usage reports, then replace it on the connector.`, res.status);
    if ((res.status === 429 || res.status >= 500) && attempt < attempts) {
      const wait = (res.status === 429 ? retryAfterMs(res.headers.get("retry-after")) : null) ?? Math.min(30_000, 1000 * 2 ** (attempt - 1));
      await res.body?.cancel().catch(() => undefined);
      await sleep(wait);
      continue;
    }
    const why = res.status === 429 ? ` after ${attempts} attempts (rate limited)` : "";
    throw new ConnectorError(`${name} usage API answered ${res.status}${why}${await errorMessage(res)}`, res.status);
  }
}

const text = (v: unknown) => (v === null || v === undefined ? "" : typeof v === "object" ? "" : String(v));

/** The UTC day (YYYY-MM-DD) a bucket starts on: Unix seconds (OpenAI) or RFC 3339 (Anthropic). */
function bucketStart(v: unknown): Date | null {
  const d = typeof v === "number" ? new Date(v * 1000) : typeof v === "string" ? new Date(v) : null;
  return d && !Number.isNaN(d.getTime()) ? d : null;
}

/** One result of a bucket as a record in the export's columns. */
export function toRecord(provider: ConnectorProvider, start: Date, end: Date, r: Record<string, unknown>): string[] {
  if (provider === "OPENAI")
    return [start.toISOString(), end.toISOString(), text(r.project_id), text(r.api_key_id), text(r.model), text(r.input_tokens), text(r.output_tokens), text(r.input_cached_tokens), text(r.num_model_requests)];
  const cc = (r.cache_creation ?? {}) as Record<string, unknown>;
  return [
    start.toISOString(), end.toISOString(), text(r.workspace_id) || ANTHROPIC_DEFAULT_WORKSPACE, text(r.api_key_id), text(r.model), text(r.uncached_input_tokens),
    text(cc.ephemeral_5m_input_tokens), text(cc.ephemeral_1h_input_tokens), text(r.cache_read_input_tokens), text(r.output_tokens),
  ];
}

/** Fetches every daily bucket in [from, to), following next_page while has_more. */
export async function fetchUsage(o: FetchOptions): Promise<FetchResult> {
  const name = providerName(o.provider);
  const records: UsageRecord[] = [];
  let requests = 0;
  let page: string | null = null;
  for (let pages = 1; ; pages++) {
    if (pages > MAX_PAGES) throw new ConnectorError(`${name} usage API returned more than ${MAX_PAGES} pages`);
    const doc = (await getPage(o, pageUrl(o, page), () => requests++)) as { data?: unknown; has_more?: unknown; next_page?: unknown };
    if (!doc || !Array.isArray(doc.data)) throw new ConnectorError(`${name} usage API answered without a "data" array`);
    for (const b of doc.data as Record<string, unknown>[]) {
      const start = bucketStart(o.provider === "OPENAI" ? b.start_time : b.starting_at);
      const end = bucketStart(o.provider === "OPENAI" ? b.end_time : b.ending_at);
      if (!start || !end) throw new ConnectorError(`${name} usage API returned a bucket without a valid start or end time`);
      const results = Array.isArray(b.results) ? (b.results as Record<string, unknown>[]) : [];
      const day = start.toISOString().slice(0, 10);
      for (const r of results) records.push({ day, cells: toRecord(o.provider, start, end, r) });
    }
    if (doc.has_more !== true) return { records, requests, pages };
    if (typeof doc.next_page !== "string" || !doc.next_page) throw new ConnectorError(`${name} usage API said has_more without a next_page`);
    page = doc.next_page;
  }
}
