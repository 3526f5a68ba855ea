/**
 * Pure mapping of usage exports (Tokenhedge CSV, FOCUS, OpenAI, Anthropic) to one normalized row shape.
 * No I/O: the import service streams rows in and resolves teams/models against the catalog.
 */
import { echo } from "./csv";
import { DAY_MS } from "./time";
import { focusTokenKind } from "@/lib/ingest/token-kind";

export type UsageFormat = "tokenhedge" | "focus" | "openai" | "anthropic";
export type TeamRef = { source: "NAME" | "OPENAI_PROJECT" | "ANTHROPIC_WORKSPACE" | "FOCUS_TAG" | "OPENAI_API_KEY" | "ANTHROPIC_API_KEY"; value: string };

export type NormalizedUsage = {
  line: number;
  periodStart: Date;
  granularity: "HOUR" | "DAY";
  /** the most specific team reference of the row (an API key before its project or workspace) */
  team: TeamRef;
  /** the next one to try when `team` has no mapping (the project or workspace of an API-key row) */
  teamAlt?: TeamRef;
  provider: string;
  model: string;
  /** whole numbers ≤ 10^15 (exact as doubles) */
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  requests: number;
  /** decimal string, or null when the export carries no cost */
  costUsd: string | null;
};

export type RowError = { line: number; column: string; reason: string };

/**
 * A flat copy of a string. Cells cut from a parsed chunk are slices that keep the whole chunk alive, so
 * anything kept beyond its row (cache keys, error reasons, names in summaries) is copied first — otherwise a
 * long file's memory grows with its size.
 */
export const detach = (s: string) => Buffer.from(s, "utf8").toString("utf8");
export type MapResult = { ok: true; row: NormalizedUsage } | { ok: false; errors: RowError[] };

const norm = (h: string) => h.trim().replace(/^\uFEFF/, "");

/** Detects the export format from a CSV header (or the keys of a JSON result object). */
export function detectFormat(header: string[]): UsageFormat | null {
  const h = new Set(header.map(norm));
  if (h.has("date") && h.has("team") && h.has("model") && h.has("input_tokens") && h.has("output_tokens")) return "tokenhedge";
  if (h.has("ChargePeriodStart") && h.has("ConsumedQuantity")) return "focus";
  if (h.has("starting_at") && (h.has("uncached_input_tokens") || h.has("workspace_id") || h.has("api_key_id"))) return "anthropic";
  if (h.has("start_time") && h.has("input_tokens") && (h.has("project_id") || h.has("num_model_requests") || h.has("api_key_id"))) return "openai";
  return null;
}

export const REQUIRED_COLUMNS: Record<UsageFormat, string[]> = {
  tokenhedge: ["date", "team", "provider", "model", "input_tokens", "output_tokens"],
  focus: ["ChargePeriodStart", "ConsumedQuantity", "ConsumedUnit"],
  // the team comes from project_id / workspace_id or api_key_id, whichever the export was grouped by (checked per row)
  openai: ["start_time", "model", "input_tokens", "output_tokens"],
  anthropic: ["starting_at", "model", "output_tokens"],
};

/** Token counts above this are rejected as implausible; below it every count (and a sum of three) is an exact double. */
const MAX_TOKENS = 1e15;

/**
 * Collects a row's errors. One per mapper, restarted for each row: it allocates nothing while rows are valid
 * (the import maps millions of rows); a row's error list is handed over whole and never touched again.
 */
class RowErrors {
  errors: RowError[] | null = null;
  line = 0;
  start(line: number) {
    this.line = line;
    this.errors = null;
    return this;
  }
  add(column: string, reason: string) {
    (this.errors ??= []).push({ line: this.line, column: echo(column), reason: detach(echo(reason)) });
  }
  /** Non-negative whole token count (an exact integer number); blank is 0 when optional. */
  tokens(raw: string | undefined, column: string, optional = false): number {
    if (raw !== undefined && isDigits(raw)) {
      const v = Number(raw);
      if (v <= MAX_TOKENS) return v;
    }
    return this.tokensSlow(raw, column, optional);
  }
  private tokensSlow(value: string | undefined, column: string, optional: boolean): number {
    const raw = (value ?? "").trim().replace(/\.0+$/, "");
    if (raw === "") {
      if (!optional) this.add(column, "is required");
      return 0;
    }
    if (raw.startsWith("-")) {
      this.add(column, `negative value ${raw}`);
      return 0;
    }
    if (/^\d{19,}$/.test(raw)) {
      this.add(column, `too large (max 10^15): ${raw.length} digits`);
      return 0;
    }
    if (!/^\d{1,18}$/.test(raw)) {
      this.add(column, `not a whole number: "${raw.slice(0, 40)}"`);
      return 0;
    }
    const v = Number(raw);
    if (v > MAX_TOKENS) this.add(column, "too large (max 10^15)");
    return v;
  }
  money(value: string | undefined, column: string): string | null {
    const raw = (value ?? "").trim();
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
  text(v: string | undefined, column: string, what = "is required"): string {
    if (v && v.charCodeAt(0) > 32 && v.charCodeAt(v.length - 1) > 32) return v;
    const t = (v ?? "").trim();
    if (!t) this.add(column, what);
    return t;
  }
}

/** 1–16 ASCII digits: exact as a double, no sign, no spaces. */
function isDigits(s: string): boolean {
  const n = s.length;
  if (n === 0 || n > 16) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
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

type When = { at: Date; granularity: "HOUR" | "DAY" };
type WhenResult = { ok: true; when: When } | { ok: false; reason: string };

/**
 * parseWhen plus the plausible-range check, memoized per raw text: usage files repeat each hour or day on many
 * rows (teams × models), so each distinct timestamp is parsed once. The returned Date must not be mutated.
 */
function whenParser() {
  const cache = new Map<string, WhenResult>();
  return (raw: string): WhenResult => {
    let r = cache.get(raw);
    if (r) return r;
    const v = raw.trim();
    const w = v ? parseWhen(v) : null;
    if (!w) r = { ok: false, reason: v ? `unknown date "${v.slice(0, 40)}"` : "is required" };
    else if (w.at.getUTCFullYear() < 2015 || w.at.getTime() > Date.now() + DAY_MS) r = { ok: false, reason: `date ${v} is out of range` };
    else r = { ok: true, when: w };
    if (!r.ok) r = { ok: false, reason: detach(r.reason) };
    if (cache.size >= 100_000) cache.clear();
    cache.set(detach(raw), r);
    return r;
  };
}
type WhenParser = ReturnType<typeof whenParser>;

function when(parse: WhenParser, e: RowErrors, raw: string | undefined, column: string, bucketEnd?: string): When | null {
  const r = parse(raw ?? "");
  if (!r.ok) {
    e.add(column, r.reason);
    return null;
  }
  if (bucketEnd) {
    const end = parse(bucketEnd);
    if (end.ok && end.when.at.getTime() - r.when.at.getTime() <= 3_600_000) return { at: r.when.at, granularity: "HOUR" };
    if (end.ok) return { at: r.when.at, granularity: "DAY" };
  }
  return r.when;
}

/** A row's cells by column position; a column the file lacks reads as undefined. */
export type Cells = ArrayLike<string | undefined>;
export type RowMapper = (cells: Cells, line: number) => MapResult;
type Col = (name: string) => number;
const at = (cells: Cells, i: number) => (i < 0 ? undefined : cells[i]);

function done(e: RowErrors, row: NormalizedUsage | null): MapResult {
  return e.errors || !row ? { ok: false, errors: e.errors ?? [] } : { ok: true, row };
}

function tokenhedgeMapper(parse: WhenParser, col: Col): RowMapper {
  const [date, team, provider, model, input, output, cached, requests, cost] = ["date", "team", "provider", "model", "input_tokens", "output_tokens", "cached_input_tokens", "requests", "cost_usd"].map(col);
  const errs = new RowErrors();
  return (c, line) => {
    const e = errs.start(line);
    const w = when(parse, e, at(c, date), "date");
    const teamName = e.text(at(c, team), "team", "missing team");
    const p = e.text(at(c, provider), "provider");
    const m = e.text(at(c, model), "model");
    const inputTokens = e.tokens(at(c, input), "input_tokens");
    const outputTokens = e.tokens(at(c, output), "output_tokens");
    const cachedInputTokens = e.tokens(at(c, cached), "cached_input_tokens", true);
    const reqs = e.tokens(at(c, requests), "requests", true);
    const costUsd = e.money(at(c, cost), "cost_usd");
    return done(e, w && {
      line, periodStart: w.at, granularity: w.granularity, team: { source: "NAME", value: teamName }, provider: p, model: m,
      inputTokens, outputTokens, cachedInputTokens, requests: reqs, costUsd,
    });
  };
}

export type FocusCostColumn = "EffectiveCost" | "BilledCost" | "ListCost" | "ContractedCost";
/** tokenTypeTag and costColumn default to `token_type` and EffectiveCost (lib/validation/settings.ts) */
export type FocusOptions = { teamColumn: string; teamTag: string; tokenTypeTag?: string; costColumn?: FocusCostColumn };
export const DEFAULT_FOCUS: Required<FocusOptions> = { teamColumn: "SubAccountName", teamTag: "team", tokenTypeTag: "token_type", costColumn: "EffectiveCost" };

function parseTags(raw: string | undefined): Record<string, string> {
  if (!raw) return {};
  try {
    const v = JSON.parse(raw);
    return v && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)])) : {};
  } catch {
    return {};
  }
}

/**
 * FOCUS rows carry one consumed quantity each; which token kind it is comes from the columns providers use, in the
 * precedence of lib/ingest/token-kind.ts (a row whose kind cannot be told is an error). The cost is the
 * organization's chosen cost column (EffectiveCost unless set otherwise).
 */
function focusMapper(parse: WhenParser, col: Col, opts: FocusOptions): RowMapper {
  const tokenTypeTag = opts.tokenTypeTag ?? DEFAULT_FOCUS.tokenTypeTag;
  const costColumn = opts.costColumn ?? DEFAULT_FOCUS.costColumn;
  const [start, end, tagsCol, spn, pn, resource, sku, skuPrice, description, teamCol, unitCol, qtyCol, costCol] = [
    "ChargePeriodStart", "ChargePeriodEnd", "Tags", "ServiceProviderName", "ProviderName", "ResourceName", "SkuId", "SkuPriceId", "ChargeDescription",
    opts.teamColumn, "ConsumedUnit", "ConsumedQuantity", costColumn,
  ].map(col);
  const errs = new RowErrors();
  return (c, line) => {
    const e = errs.start(line);
    const w = when(parse, e, at(c, start), "ChargePeriodStart", at(c, end));
    const tags = parseTags(at(c, tagsCol));
    const provider = (at(c, spn) || at(c, pn) || "").trim();
    if (!provider) e.add("ProviderName", "is required");
    const model = (tags.model || at(c, resource) || at(c, sku) || "").trim();
    if (!model) e.add("ResourceName", "no model in ResourceName, SkuId or Tags.model");
    const team = (tags[opts.teamTag] || at(c, teamCol) || "").trim();
    if (!team) e.add(opts.teamColumn, `missing team (no ${opts.teamColumn} and no Tags.${opts.teamTag})`);
    const unitRaw = at(c, unitCol) ?? "";
    if (!unitRaw.toLowerCase().includes("token")) e.add("ConsumedUnit", `unit "${unitRaw}" is not a token unit`);
    const kind = focusTokenKind(
      { tag: tags[tokenTypeTag], skuPriceId: at(c, skuPrice), skuId: at(c, sku), consumedUnit: unitRaw, chargeDescription: at(c, description) },
      tokenTypeTag,
    );
    if (!kind.ok) e.add(kind.column, kind.reason);
    const qty = e.tokens(at(c, qtyCol), "ConsumedQuantity");
    const cost = e.money(at(c, costCol), costColumn);
    const k = kind.ok ? kind.kind : "input";
    return done(e, w && {
      line,
      periodStart: w.at,
      granularity: w.granularity,
      team: { source: "FOCUS_TAG", value: team },
      provider,
      model,
      // cached input is input served from the cache: counted in both, as the other formats do
      inputTokens: k === "output" ? 0 : qty,
      outputTokens: k === "output" ? qty : 0,
      cachedInputTokens: k === "cached-input" ? qty : 0,
      requests: 0,
      costUsd: cost,
    });
  };
}

/**
 * Provider exports grouped by API key and/or by project (workspace): the key is the more specific reference,
 * so it is tried first and the project second. A row with neither has no team.
 */
function keyedTeam(e: RowErrors, key: string | undefined, group: string | undefined, keySource: TeamRef["source"], groupSource: TeamRef["source"], groupColumn: string) {
  const k = key?.trim();
  const g = group?.trim();
  if (!k && !g) {
    e.add(groupColumn, `missing team (${groupColumn} or api_key_id)`);
    return { team: { source: groupSource, value: "" } };
  }
  const groupRef: TeamRef | undefined = g ? { source: groupSource, value: g } : undefined;
  return k ? { team: { source: keySource, value: k }, teamAlt: groupRef } : { team: groupRef! };
}

function openAIMapper(parse: WhenParser, col: Col): RowMapper {
  const [start, end, project, apiKey, model, input, output, cached, requests] = ["start_time", "end_time", "project_id", "api_key_id", "model", "input_tokens", "output_tokens", "input_cached_tokens", "num_model_requests"].map(col);
  const errs = new RowErrors();
  return (c, line) => {
    const e = errs.start(line);
    const w = when(parse, e, at(c, start), "start_time", at(c, end));
    const teams = keyedTeam(e, at(c, apiKey), at(c, project), "OPENAI_API_KEY", "OPENAI_PROJECT", "project_id");
    const m = e.text(at(c, model), "model");
    const inputTokens = e.tokens(at(c, input), "input_tokens");
    const outputTokens = e.tokens(at(c, output), "output_tokens");
    const cachedInputTokens = e.tokens(at(c, cached), "input_cached_tokens", true);
    const reqs = e.tokens(at(c, requests), "num_model_requests", true);
    return done(e, w && { line, periodStart: w.at, granularity: w.granularity, ...teams, provider: "OpenAI", model: m, inputTokens, outputTokens, cachedInputTokens, requests: reqs, costUsd: null });
  };
}

function anthropicMapper(parse: WhenParser, col: Col): RowMapper {
  const [start, end, workspace, apiKey, model, uncachedCol, creationCol, e5m, e1h, readCol, output] = [
    "starting_at", "ending_at", "workspace_id", "api_key_id", "model", "uncached_input_tokens", "cache_creation_input_tokens",
    "cache_creation.ephemeral_5m_input_tokens", "cache_creation.ephemeral_1h_input_tokens", "cache_read_input_tokens", "output_tokens",
  ].map(col);
  const errs = new RowErrors();
  return (c, line) => {
    const e = errs.start(line);
    const w = when(parse, e, at(c, start), "starting_at", at(c, end));
    const teams = keyedTeam(e, at(c, apiKey), at(c, workspace), "ANTHROPIC_API_KEY", "ANTHROPIC_WORKSPACE", "workspace_id");
    const m = e.text(at(c, model), "model");
    const uncached = e.tokens(at(c, uncachedCol), "uncached_input_tokens", true);
    const creation =
      at(c, creationCol) !== undefined
        ? e.tokens(at(c, creationCol), "cache_creation_input_tokens", true)
        : e.tokens(at(c, e5m), "cache_creation.ephemeral_5m_input_tokens", true) + e.tokens(at(c, e1h), "cache_creation.ephemeral_1h_input_tokens", true);
    const cacheRead = e.tokens(at(c, readCol), "cache_read_input_tokens", true);
    const outputTokens = e.tokens(at(c, output), "output_tokens");
    return done(e, w && {
      line,
      periodStart: w.at,
      granularity: w.granularity,
      ...teams,
      provider: "Anthropic",
      model: m,
      inputTokens: uncached + creation + cacheRead,
      outputTokens,
      cachedInputTokens: cacheRead,
      requests: 0,
      costUsd: null,
    });
  };
}

/**
 * A row mapper for one file, given its columns (header names in order): column positions are looked up once,
 * and parsed timestamps are cached, so use one mapper per file.
 */
export function mapperFor(format: UsageFormat, columns: readonly string[], focus: FocusOptions = DEFAULT_FOCUS): RowMapper {
  const parse = whenParser();
  const index = new Map(columns.map((h, i) => [h, i]));
  const col: Col = (name) => index.get(name) ?? -1;
  switch (format) {
    case "tokenhedge":
      return tokenhedgeMapper(parse, col);
    case "focus":
      return focusMapper(parse, col, focus);
    case "openai":
      return openAIMapper(parse, col);
    case "anthropic":
      return anthropicMapper(parse, col);
  }
}

/** Maps one record (column name → text), e.g. a flattened JSON bucket. */
export function mapRecord(format: UsageFormat, record: Record<string, string | undefined>, line: number, focus?: FocusOptions): MapResult {
  return mapperFor(format, Object.keys(record), focus)(Object.values(record), line);
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
