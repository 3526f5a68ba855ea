import { fmtTokens, fmtUsd } from "@/lib/format";

/**
 * One-line, human-readable summaries for admin logs (job runs, audit events), the forecast accuracy panel and the
 * usage explorer's partial buckets. Pure: plain values in, strings out; the raw JSON stays available beside them.
 */

/** 604800 → "604,800". */
export const fmtCount = (n: number | bigint | string) => {
  const s = typeof n === "string" ? n : n.toString();
  return /^-?\d+$/.test(s) ? s.replace(/\B(?=(\d{3})+(?!\d))/g, ",") : s;
};

/** plural(1, "row") → "1 row"; plural(3, "class", "classes") → "3 classes". */
export function plural(n: number | bigint, one: string, many = `${one}s`): string {
  return `${fmtCount(n)} ${Number(n) === 1 ? one : many}`;
}

/** 4213 → "4.2 s"; 312 → "0.31 s"; 125000 → "2 min 5 s". */
export function fmtDuration(ms: number): string {
  if (ms < 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {});
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : typeof v === "string" && /^-?\d+$/.test(v) ? Number(v) : null);
const count = (v: unknown): number | null => (Array.isArray(v) ? v.length : num(v));
const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : typeof v === "number" ? String(v) : null);
const clip = (s: string, max = 80) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
const join = (parts: (string | null | false | undefined)[], sep = ", ") => parts.filter(Boolean).join(sep);

/** Scalars of an unknown details object as "key value" pairs, arrays as their length; nothing nested. */
function genericPairs(d: Json, skip: string[] = []): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(d)) {
    if (skip.includes(k) || v === null || v === undefined) continue;
    if (Array.isArray(v)) parts.push(`${k} ${fmtCount(v.length)}`);
    else if (typeof v === "number" || typeof v === "bigint") parts.push(`${k} ${fmtCount(v)}`);
    else if (typeof v === "string") parts.push(`${k} ${clip(v, 40)}`);
    else if (typeof v === "boolean") parts.push(`${k} ${v ? "yes" : "no"}`);
  }
  return parts.slice(0, 6).join(", ");
}

export type JobRunLike = { name: string; orgName?: string | null; status: string; durationMs: number | null; error: string | null; details: unknown };

/** What a job's details object says, per job (lib/jobs/handlers.ts return values); unknown shapes fall back to key/value pairs. */
function jobWhat(name: string, d: Json): string {
  if (num(d.queuedOrgs) !== null) return `queued for ${plural(num(d.queuedOrgs)!, "organization")}`;
  switch (name) {
    case "forecasts.run": {
      const series = num(d.series) ?? 0;
      if (!series) return str(d.note) ? `nothing to forecast (${d.note})` : "nothing to forecast";
      const adjusted = count(d.adjusted);
      return join([
        `${plural(series, "forecast")}${num(d.horizonDays) ? ` ${fmtCount(num(d.horizonDays)!)} days ahead` : ""}`,
        str(d.lastObservedDay) && `data through ${d.lastObservedDay}`,
        adjusted ? `${fmtCount(adjusted)} adjusted for planner events` : null,
      ]);
    }
    case "curves.rebuild": {
      const curves = Array.isArray(d.curves) ? d.curves.map(obj) : [];
      const sum = (k: string) => curves.reduce((s, c) => s + (num(c[k]) ?? 0), 0);
      return join([
        `${plural(curves.length, "curve")}${str(d.asOf) ? ` as of ${d.asOf}` : ""}`,
        curves.length ? plural(sum("points"), "point") : null,
        sum("flagged") ? `${fmtCount(sum("flagged"))} flagged` : null,
        sum("excludedQuotes") ? `${plural(sum("excludedQuotes"), "quote")} excluded as outliers` : null,
      ]);
    }
    case "recommendations.run": {
      const skipped = count(d.skipped) ?? 0;
      return join([
        `${plural(num(d.recommendations) ?? 0, "recommendation")} for ${plural(num(d.classes) ?? 0, "class", "classes")}`,
        skipped ? `${fmtCount(skipped)} skipped` : null,
      ]);
    }
    case "usage.rollup":
      return join([`${plural(num(d.monthlyRows) ?? 0, "monthly row")} rebuilt`, num(d.version) !== null && `usage version ${d.version}`]);
    case "settlements.run": {
      const waitSpot = count(d.waitingForSpot) ?? 0;
      const waitUsage = count(d.waitingForUsage) ?? 0;
      return join([
        `${plural(num(d.settled) ?? 0, "month")} settled`,
        num(d.delivering) ? `${plural(num(d.delivering)!, "contract")} delivering` : null,
        num(d.completed) ? `${plural(num(d.completed)!, "contract")} completed` : null,
        waitSpot ? `${fmtCount(waitSpot)} waiting for spot` : null,
        waitUsage ? `${fmtCount(waitUsage)} waiting for usage` : null,
      ]);
    }
    case "marks.daily": {
      const skipped = count(d.skipped) ?? 0;
      return join([
        `${plural(num(d.marked) ?? 0, "contract")} marked${str(d.asOf) ? ` as of ${d.asOf}` : ""}`,
        str(d.valueUsd) && `value ${fmtUsd(str(d.valueUsd))}`,
        str(d.ratePct) && `discount rate ${d.ratePct}%`,
        skipped ? `${fmtCount(skipped)} skipped` : null,
      ]);
    }
    case "auth.prune-login-attempts":
      return `${plural(num(d.deleted) ?? 0, "old sign-in attempt")} deleted`;
    case "imports.prune-leftovers":
      return `${plural(num(d.progressRows) ?? 0, "stale progress row")} and ${plural(count(d.spoolFolders) ?? 0, "spool folder")} removed`;
    default:
      return genericPairs(d);
  }
}

/** "forecasts.run for Acme: 28 forecasts 90 days ahead, data through 2026-11-27 in 4.2 s" */
export function jobRunSummary(r: JobRunLike): string {
  const head = `${r.name}${r.orgName ? ` for ${r.orgName}` : ""}`;
  const took = r.durationMs === null ? "" : ` in ${fmtDuration(r.durationMs)}`;
  if (r.status === "FAILED") return `${head} failed${r.durationMs === null ? "" : ` after ${fmtDuration(r.durationMs)}`}: ${clip(r.error ?? "no error message", 200)}`;
  if (r.status === "RUNNING") return `${head}: running`;
  const what = jobWhat(r.name, obj(r.details));
  return `${head}: ${what || "done"}${took}`;
}

/** Names for ids an audit event refers to (teams, model classes, models), when the caller knows them. */
export type NameOf = (id: unknown) => string | null;

type Band = { fromMonth?: unknown; toMonth?: unknown; minPct?: unknown; maxPct?: unknown };
const bandText = (b: Band) => `months ${b.fromMonth}–${b.toMonth}: ${b.minPct}–${b.maxPct}%`;

/** What changed between two hedge-policy views (lib/services/hedging/policy.ts view()), in words. */
export function policyChanges(before: Json | null, after: Json): string[] {
  const out: string[] = [];
  const bands = (p: Json | null) => (Array.isArray(p?.bands) ? (p!.bands as Band[]) : []);
  const a = bands(after);
  const b = bands(before);
  const key = (x: Band) => `${x.fromMonth}-${x.toMonth}`;
  for (const x of a) {
    const old = b.find((y) => key(y) === key(x));
    if (!before || !old) out.push(`band ${bandText(x)}`);
    else if (String(old.minPct) !== String(x.minPct) || String(old.maxPct) !== String(x.maxPct))
      out.push(`band months ${x.fromMonth}–${x.toMonth}: ${old.minPct}–${old.maxPct}% → ${x.minPct}–${x.maxPct}%`);
  }
  for (const y of b) if (!a.some((x) => key(x) === key(y))) out.push(`band ${bandText(y)} removed`);
  const fields: [string, string, (v: unknown) => string][] = [
    ["maxOverHedgeProb", "over-hedge limit", (v) => `${v}`],
    ["maxTenorMonths", "max tenor", (v) => `${v} months`],
    ["lotTokens", "lot", (v) => (str(v) && /^\d+$/.test(String(v)) ? `${fmtTokens(String(v))} tokens` : String(v))],
    ["preferredSettlement", "settlement", (v) => String(v).toLowerCase().replace("_", " ")],
    ["quarterlyBudgetUsd", "quarterly budget", (v) => (v === null || v === undefined ? "none" : fmtUsd(String(v)))],
    ["approvalThresholdUsd", "approval above", (v) => fmtUsd(String(v))],
  ];
  for (const [k, label, f] of fields) {
    if (!(k in after)) continue;
    if (!before) continue;
    if (String(before[k]) !== String(after[k])) out.push(`${label} ${f(before[k])} → ${f(after[k])}`);
  }
  return out;
}

/** Flattens a settings patch ({ focus: { costColumn: "BilledCost" } }) into "focus.costColumn EffectiveCost → BilledCost", changed fields only. */
function settingsChanges(change: Json, previous: Json): string[] {
  const out: string[] = [];
  const walk = (c: Json, p: Json, path: string) => {
    for (const [k, v] of Object.entries(c)) {
      const name = path ? `${path}.${k}` : k;
      if (v && typeof v === "object" && !Array.isArray(v)) walk(v as Json, obj(p[k]), name);
      // the settings form sends every field: only what differs from before is a change
      else if (p[k] === undefined) out.push(`${name} ${v}`);
      else if (String(p[k]) !== String(v)) out.push(`${name} ${p[k]} → ${v}`);
    }
  };
  walk(change, previous, "");
  return out;
}

export type AuditLike = { action: string; entity: string; entityId: string | null; data: unknown };

/** "Carla CFO changed hedge policy (General chat): band months 1–3: 70–90% → 75–90%" */
export function auditSummary(e: AuditLike, nameOf: NameOf = () => null): string {
  const d = obj(e.data);
  const actor = str(d.actor) ?? "Someone";
  const q = (v: unknown) => (str(v) ? `"${clip(str(v)!)}"` : "");
  const named = (id: unknown, fallback: string) => nameOf(id) ?? fallback;
  const what = ((): string => {
    switch (e.action) {
      case "team.created":
        return `created team ${q(d.name)}${str(d.costCenter) ? ` (cost center ${d.costCenter})` : ""}`;
      case "user.created":
        return `added user ${str(d.email) ?? ""} as ${String(d.role ?? "").toLowerCase().replace("_", " ")}${d.teamId ? ` of ${named(d.teamId, "a team")}` : ""}`;
      case "user.removed":
        return "removed a user (sessions and API tokens revoked)";
      case "apiToken.created":
        return `created API token ${q(d.name)}${str(d.prefix) ? ` (${d.prefix}…)` : ""}${str(d.expiresAt) ? `, expires ${String(d.expiresAt).slice(0, 10)}` : ""}`;
      case "apiToken.revoked":
        return `revoked API token${str(d.prefix) ? ` ${d.prefix}…` : ""}`;
      case "teamMapping.created":
        return `mapped ${String(d.source ?? "").toLowerCase().replace(/_/g, " ")} ${q(d.externalId)} to ${named(d.teamId, "a team")}`;
      case "teamMapping.deleted":
        return `deleted the mapping of ${String(d.source ?? "").toLowerCase().replace(/_/g, " ")} ${q(d.externalId)}`;
      case "modelClass.created":
        return `created model class ${q(d.name)}`;
      case "model.created":
        return `added model ${join([str(d.provider), str(d.name)], " ")} to ${named(d.modelClassId, "a class")}`;
      case "modelPrice.added":
        return `set list prices of ${named(e.entityId, "a model")} from ${d.effectiveFrom}: input $${d.inputUsdPerMTokens}, output $${d.outputUsdPerMTokens} per 1M`;
      case "modelVersion.added":
        return `recorded version ${q(d.version)} of ${named(e.entityId, "a model")} from ${d.effectiveFrom}`;
      case "modelAlias.created":
        return `mapped model name ${q(d.alias)} to ${named(d.modelId, "a catalog model")}`;
      case "qualityScore.added":
        return `set the quality score of ${named(e.entityId, "a class")}${str(d.score) ? ` to ${d.score}` : ""}${str(d.benchmark) ? ` (${d.benchmark})` : ""}`;
      case "forecastOverride.created":
        return `added planner event ${q(d.description)}: ${Number(d.changePct) > 0 ? "+" : ""}${d.changePct}% from ${String(d.startsOn ?? "").slice(0, 10)}`;
      case "org.settingsUpdated":
        return `changed settings: ${settingsChanges(obj(d.change), obj(d.previous)).join(", ") || "no change"}`;
      case "counterparty.created":
        return `added counterparty ${q(d.name)}`;
      case "counterparty.updated":
        return `updated counterparty ${q(obj(d.after).name ?? obj(d.before).name)}`;
      case "hedgePolicy.created":
      case "hedgePolicy.updated": {
        const scope = d.modelClassId ? named(d.modelClassId, "one class") : "all classes";
        const changes = policyChanges(d.before ? obj(d.before) : null, obj(d.after));
        const verb = e.action === "hedgePolicy.created" ? "set" : "changed";
        return `${verb} hedge policy (${scope})${changes.length ? `: ${changes.join("; ")}` : ""}`;
      }
      case "hedgePolicy.removed":
        return `removed the hedge policy override of ${named(d.modelClassId, "a class")} (the org policy applies)`;
      case "quotes.imported":
        return `imported ${plural(num(d.rows) ?? 0, "quote")} from ${q(d.fileName)}`;
      case "usage.imported":
        return join([
          `imported ${plural(num(d.rowsAccepted) ?? 0, "usage row")} from ${q(d.fileName)}`,
          num(d.rowsReplaced) ? `${fmtCount(num(d.rowsReplaced)!)} replaced` : null,
          num(d.rowsRejected) ? `${plural(num(d.rowsRejected)!, "invalid row")} skipped` : null,
        ]);
      case "report.commentary.saved":
        return `saved the CFO report commentary for ${d.month}`;
      default: {
        const pairs = genericPairs(d, ["actor"]);
        return `${e.action} on ${e.entity}${pairs ? ` (${pairs})` : ""}`;
      }
    }
  })();
  return `${actor} ${what}`;
}

export type Backtest = { mase: number; baselineMase: number; coverage: number; horizon: number; origins: number };

/**
 * The backtest in words a CFO reads correctly: how much smaller the forecast's error was than repeating the same
 * days of last week (seasonal naive; both MASEs share one scale, so their ratio is the ratio of errors), and how
 * often the actual day fell inside the P10–P90 band (80% is the target).
 */
export function accuracyInWords(bt: Backtest): { skill: string; band: string; verdict: "better" | "worse" | "same" } {
  const ratio = bt.baselineMase > 0 ? bt.mase / bt.baselineMase : null;
  let skill: string;
  let verdict: "better" | "worse" | "same" = "same";
  if (ratio === null) skill = "The baseline made no error on this history, so there is nothing to compare against.";
  else {
    const pct = Math.round(Math.abs(1 - ratio) * 100);
    if (pct === 0) skill = "About as accurate as repeating last week's numbers.";
    else if (ratio < 1) {
      verdict = "better";
      skill = `${pct}% better than repeating last week's numbers (its errors were ${pct}% smaller).`;
    } else {
      verdict = "worse";
      skill = `${pct}% worse than repeating last week's numbers (its errors were ${pct}% larger).`;
    }
  }
  const hit = Math.round(bt.coverage * 100);
  const inTen = Math.round(bt.coverage * 10);
  const judgement = hit >= 70 && hit <= 90 ? "close to the 80% it aims for" : hit < 70 ? "less often than the 80% it aims for: the band is too narrow" : "more often than the 80% it aims for: the band is wider than it needs to be";
  const band = `The actual day fell inside the P10–P90 range ${hit}% of the time (about ${inTen} days in 10), ${judgement}.`;
  return { skill, band, verdict };
}

/**
 * Whether a usage bucket (a day, a Monday-started week, a calendar month starting at `bucket`, YYYY-MM-DD) is cut
 * by the selected range [from, to] (inclusive days; either may be empty). Returns the days inside and in total.
 */
export function bucketCoverage(bucket: string, kind: "day" | "week" | "month", from?: string, to?: string): { partial: boolean; days: number; totalDays: number } {
  const day = 86_400_000;
  const start = Date.parse(`${bucket.slice(0, 10)}T00:00:00Z`);
  let end: number;
  if (kind === "day") end = start;
  else if (kind === "week") end = start + 6 * day;
  else {
    const d = new Date(start);
    end = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) - day;
  }
  const totalDays = Math.round((end - start) / day) + 1;
  const f = from && /^\d{4}-\d{2}-\d{2}$/.test(from) ? Date.parse(`${from}T00:00:00Z`) : -Infinity;
  const t = to && /^\d{4}-\d{2}-\d{2}$/.test(to) ? Date.parse(`${to}T00:00:00Z`) : Infinity;
  const lo = Math.max(start, f);
  const hi = Math.min(end, t);
  const days = hi < lo ? 0 : Math.round((hi - lo) / day) + 1;
  return { partial: days < totalDays, days, totalDays };
}
