/**
 * Pure mapping of usage exports (Tokenhedge CSV, FOCUS, OpenAI, Anthropic) to one normalized row shape.
 * No I/O: the import service streams rows in and resolves teams/models against the catalog.
 */
import { DAY_MS } from "./time";

export type UsageFormat = "tokenhedge" | "focus" | "openai" | "anthropic";
export type TeamRef = { source: "NAME" | "OPENAI_PROJECT" | "ANTHROPIC_WORKSPACE" | "FOCUS_TAG"; value: string };

export type NormalizedUsage = {
  line: number;
  periodStart: Date;
  granularity: "HOUR" | "DAY";
  team: TeamRef;
  provider: string;
  model: string;
  inputTokens: bigint;
  outputTokens: bigint;
  cachedInputTokens: bigint;
  requests: bigint;
  /** decimal string, or null when the export carries no cost */
  costUsd: string | null;
};

export type RowError = { line: number; column: string; reason: string };
export type MapResult = { ok: true; row: NormalizedUsage } | { ok: false; errors: RowError[] };
export type Getter = (column: string) => string | undefined;

const norm = (h: string) => h.trim().replace(/^\uFEFF/, "");

/** Detects the export format from a CSV header (or the keys of a JSON result object). */
export function detectFormat(header: string[]): UsageFormat | null {
  const h = new Set(header.map(norm));
  if (h.has("date") && h.has("team") && h.has("model") && h.has("input_tokens") && h.has("output_tokens")) return "tokenhedge";
  if (h.has("ChargePeriodStart") && h.has("ConsumedQuantity")) return "focus";
  if (h.has("starting_at") && (h.has("uncached_input_tokens") || h.has("workspace_id"))) return "anthropic";
  if (h.has("start_time") && h.has("input_tokens") && (h.has("project_id") || h.has("num_model_requests"))) return "openai";
  return null;
}

export const REQUIRED_COLUMNS: Record<UsageFormat, string[]> = {
  tokenhedge: ["date", "team", "provider", "model", "input_tokens", "output_tokens"],
  focus: ["ChargePeriodStart", "ConsumedQuantity", "ConsumedUnit"],
  openai: ["start_time", "model", "project_id", "input_tokens", "output_tokens"],
  anthropic: ["starting_at", "model", "workspace_id", "output_tokens"],
};

const INT_RE = /^\d{1,18}$/;
const MAX_TOKENS = 10n ** 15n;

class RowErrors {
  errors: RowError[] = [];
  constructor(readonly line: number) {}
  add(column: string, reason: string) {
    this.errors.push({ line: this.line, column, reason });
  }
  /** Non-negative integer token count; blank is 0 when optional. */
  tokens(get: Getter, column: string, optional = false): bigint {
    const raw = (get(column) ?? "").trim().replace(/\.0+$/, "");
    if (raw === "") {
      if (!optional) this.add(column, "is required");
      return 0n;
    }
    if (raw.startsWith("-")) {
      this.add(column, `negative value ${raw}`);
      return 0n;
    }
    if (!INT_RE.test(raw)) {
      this.add(column, `not a whole number: "${raw.slice(0, 40)}"`);
      return 0n;
    }
    const v = BigInt(raw);
    if (v > MAX_TOKENS) this.add(column, "implausibly large (over 10^15)");
    return v;
  }
  money(get: Getter, column: string): string | null {
    const raw = (get(column) ?? "").trim();
    if (raw === "") return null;
    if (!/^-?\d{1,14}(\.\d{1,10})?$/.test(raw)) {
      this.add(column, `not a number: "${raw.slice(0, 40)}"`);
      return null;
    }
    if (raw.startsWith("-")) {
      this.add(column, `negative cost ${raw}`);
      return null;
    }
    return raw;
  }
  text(get: Getter, column: string, what = "is required"): string {
    const v = (get(column) ?? "").trim();
    if (!v) this.add(column, what);
    return v;
  }
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const ISO_TS = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Parses a date or ISO timestamp (UTC unless an offset is given). Hourly rows are truncated to the hour. */
export function parseWhen(raw: string): { at: Date; granularity: "HOUR" | "DAY" } | null {
  const v = raw.trim();
  if (DATE_ONLY.test(v)) {
    const d = new Date(`${v}T00:00:00Z`);
    return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v ? null : { at: d, granularity: "DAY" };
  }
  if (ISO_TS.test(v)) {
    const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(v);
    const d = new Date(hasZone ? v.replace(" ", "T") : `${v.replace(" ", "T")}Z`);
    if (Number.isNaN(d.getTime())) return null;
    if (d.getUTCHours() === 0 && d.getUTCMinutes() === 0 && d.getUTCSeconds() === 0) return { at: d, granularity: "DAY" };
    d.setUTCMinutes(0, 0, 0);
    return { at: d, granularity: "HOUR" };
  }
  if (/^\d{9,10}$/.test(v)) return parseWhen(new Date(Number(v) * 1000).toISOString());
  return null;
}

function when(e: RowErrors, get: Getter, column: string, bucketEnd?: string) {
  const raw = (get(column) ?? "").trim();
  const w = raw ? parseWhen(raw) : null;
  if (!w) {
    e.add(column, raw ? `unknown date "${raw.slice(0, 40)}"` : "is required");
    return null;
  }
  if (w.at.getUTCFullYear() < 2015 || w.at.getTime() > Date.now() + DAY_MS) e.add(column, `date ${raw} is out of range`);
  if (bucketEnd) {
    const end = parseWhen(bucketEnd);
    if (end && end.at.getTime() - w.at.getTime() <= 3_600_000) return { at: w.at, granularity: "HOUR" as const };
    if (end) return { at: w.at, granularity: "DAY" as const };
  }
  return w;
}

function finish(e: RowErrors, row: Omit<NormalizedUsage, "line"> | null): MapResult {
  return e.errors.length || !row ? { ok: false, errors: e.errors } : { ok: true, row: { line: e.line, ...row } };
}

function mapTokenhedge(get: Getter, line: number): MapResult {
  const e = new RowErrors(line);
  const w = when(e, get, "date");
  const team = e.text(get, "team", "missing team");
  const provider = e.text(get, "provider");
  const model = e.text(get, "model");
  const inputTokens = e.tokens(get, "input_tokens");
  const outputTokens = e.tokens(get, "output_tokens");
  const cachedInputTokens = e.tokens(get, "cached_input_tokens", true);
  const requests = e.tokens(get, "requests", true);
  const costUsd = e.money(get, "cost_usd");
  return finish(e, w && { periodStart: w.at, granularity: w.granularity, team: { source: "NAME", value: team }, provider, model, inputTokens, outputTokens, cachedInputTokens, requests, costUsd });
}

export type FocusOptions = { teamColumn: string; teamTag: string };
export const DEFAULT_FOCUS: FocusOptions = { teamColumn: "SubAccountName", teamTag: "team" };

function parseTags(raw: string | undefined): Record<string, string> {
  if (!raw) return {};
  try {
    const v = JSON.parse(raw);
    return v && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)])) : {};
  } catch {
    return {};
  }
}

/** FOCUS rows carry one consumed quantity each; the unit says which token kind (input, output, cached). */
function mapFocus(get: Getter, line: number, opts: FocusOptions): MapResult {
  const e = new RowErrors(line);
  const w = when(e, get, "ChargePeriodStart", get("ChargePeriodEnd"));
  const tags = parseTags(get("Tags"));
  const provider = (get("ServiceProviderName") || get("ProviderName") || "").trim();
  if (!provider) e.add("ProviderName", "is required");
  const model = (tags.model || get("ResourceName") || get("SkuId") || "").trim();
  if (!model) e.add("ResourceName", "no model in ResourceName, SkuId or Tags.model");
  const team = (tags[opts.teamTag] || get(opts.teamColumn) || "").trim();
  if (!team) e.add(opts.teamColumn, `missing team (no ${opts.teamColumn} and no Tags.${opts.teamTag})`);
  const unit = (get("ConsumedUnit") || "").toLowerCase();
  if (!unit.includes("token")) e.add("ConsumedUnit", `unit "${get("ConsumedUnit") ?? ""}" is not a token unit`);
  const qty = e.tokens(get, "ConsumedQuantity");
  const cost = e.money(get, get("BilledCost") !== undefined ? "BilledCost" : "EffectiveCost");
  const isOutput = unit.includes("output");
  const isCached = unit.includes("cache");
  return finish(e, w && {
    periodStart: w.at,
    granularity: w.granularity,
    team: { source: "FOCUS_TAG", value: team },
    provider,
    model,
    inputTokens: isOutput ? 0n : qty,
    outputTokens: isOutput ? qty : 0n,
    cachedInputTokens: isCached ? qty : 0n,
    requests: 0n,
    costUsd: cost,
  });
}

function mapOpenAI(get: Getter, line: number): MapResult {
  const e = new RowErrors(line);
  const w = when(e, get, "start_time", get("end_time"));
  const project = e.text(get, "project_id", "missing team (project_id)");
  const model = e.text(get, "model");
  const inputTokens = e.tokens(get, "input_tokens");
  const outputTokens = e.tokens(get, "output_tokens");
  const cachedInputTokens = e.tokens(get, "input_cached_tokens", true);
  const requests = e.tokens(get, "num_model_requests", true);
  return finish(e, w && { periodStart: w.at, granularity: w.granularity, team: { source: "OPENAI_PROJECT", value: project }, provider: "OpenAI", model, inputTokens, outputTokens, cachedInputTokens, requests, costUsd: null });
}

function mapAnthropic(get: Getter, line: number): MapResult {
  const e = new RowErrors(line);
  const w = when(e, get, "starting_at", get("ending_at"));
  const ws = e.text(get, "workspace_id", "missing team (workspace_id)");
  const model = e.text(get, "model");
  const uncached = e.tokens(get, "uncached_input_tokens", true);
  const creation =
    get("cache_creation_input_tokens") !== undefined
      ? e.tokens(get, "cache_creation_input_tokens", true)
      : e.tokens(get, "cache_creation.ephemeral_5m_input_tokens", true) + e.tokens(get, "cache_creation.ephemeral_1h_input_tokens", true);
  const cacheRead = e.tokens(get, "cache_read_input_tokens", true);
  const outputTokens = e.tokens(get, "output_tokens");
  return finish(e, w && {
    periodStart: w.at,
    granularity: w.granularity,
    team: { source: "ANTHROPIC_WORKSPACE", value: ws },
    provider: "Anthropic",
    model,
    inputTokens: uncached + creation + cacheRead,
    outputTokens,
    cachedInputTokens: cacheRead,
    requests: 0n,
    costUsd: null,
  });
}

export function mapperFor(format: UsageFormat, focus: FocusOptions = DEFAULT_FOCUS): (get: Getter, line: number) => MapResult {
  switch (format) {
    case "tokenhedge":
      return mapTokenhedge;
    case "focus":
      return (g, l) => mapFocus(g, l, focus);
    case "openai":
      return mapOpenAI;
    case "anthropic":
      return mapAnthropic;
  }
}

/** Flattens provider JSON exports ({ data: [{ start_time|starting_at, results: [...] }] }) into flat records. */
export function flattenJsonExport(doc: unknown): Record<string, string>[] {
  const buckets = (doc as { data?: unknown })?.data;
  if (!Array.isArray(buckets)) throw new Error('JSON export must have a "data" array of buckets');
  const out: Record<string, string>[] = [];
  for (const b of buckets as Record<string, unknown>[]) {
    const results = Array.isArray(b.results) ? (b.results as Record<string, unknown>[]) : [b];
    for (const r of results) {
      const flat: Record<string, string> = {};
      const put = (k: string, v: unknown) => {
        if (v === null || v === undefined) return;
        if (typeof v === "object") for (const [k2, v2] of Object.entries(v)) put(`${k}.${k2}`, v2);
        else flat[k] = String(v);
      };
      for (const [k, v] of Object.entries(b)) if (k !== "results") put(k, v);
      for (const [k, v] of Object.entries(r)) put(k, v);
      out.push(flat);
    }
  }
  return out;
}
