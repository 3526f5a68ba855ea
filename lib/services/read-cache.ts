/**
 * A per-process cache for the heaviest read models (dashboard tiles, usage aggregates), keyed by what the
 * answer depends on: org, team scope, the read's own arguments, the UTC day, and the org's data version.
 *
 * The data version is read from the database on every request (one small query), so a cached answer is never
 * served after a change that another instance made: every change to what these reads show either bumps the
 * org's usage versions (imports, list prices, the usage rollup — in the writer's own transaction), writes an
 * AuditEvent or ContractEvent (every user change; append-only, counted), or is a job that records its JobRun
 * as finished after its data committed. Counts, not only latest timestamps, because a transaction that began
 * earlier can commit later with an older timestamp.
 *
 * Concurrent misses of the same key share one computation (no stampede after an import). Values are shared
 * between requests: callers must treat them as read-only.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { cache } from "react";
import { cancelBackend, sessionPool } from "@/lib/db/pg";
import { currentQueryScope, sharedWork } from "@/lib/db/cancel";
import type { Ctx } from "@/lib/auth/context";

type Entry = { version: string; value: Promise<unknown>; at: number; work: ReturnType<typeof sharedWork> };

const MAX_ENTRIES = Number(process.env.READ_CACHE_ENTRIES ?? 2000);
/** Safety net only: entries are invalidated by the data version, this bounds memory held by idle orgs. */
const MAX_AGE_MS = 30 * 60_000;

const g = globalThis as unknown as { __readCache?: Map<string, Entry>; __readCacheStats?: { hits: number; misses: number } };
const store = (g.__readCache ??= new Map());
const stats = (g.__readCacheStats ??= { hits: 0, misses: 0 });

/**
 * One read-only API request: its cached reads share one data version (React's per-render cache does the same
 * for pages). Only for reads — a request that writes must see the version its own write made.
 */
const readScope = new AsyncLocalStorage<Map<string, Promise<string>>>();
export function withReadScope<T>(fn: () => Promise<T>): Promise<T> {
  return readScope.run(new Map(), fn);
}

/**
 * The org's data version: changes whenever anything the cached reads show may have changed. One query; within
 * one server render or one read-only API request it is asked once.
 */
export const orgDataVersion = cache((orgId: string): Promise<string> => {
  const scope = readScope.getStore();
  if (!scope) return queryDataVersion(orgId);
  let v = scope.get(orgId);
  if (!v) {
    v = queryDataVersion(orgId);
    scope.set(orgId, v);
  }
  return v;
});

/** Asked on every request (a prepared statement on the session pool, lib/db/pg.ts: planned once per connection, no ORM layer). */
const DATA_VERSION_SQL = `
  SELECT o."usageVersion" AS u, o."usageRolledVersion" AS r,
         a.n AS a, a.m AS am, c.n AS c, c.m AS cm, j.n AS j, j.m AS jm
    FROM "Organization" o,
         LATERAL (SELECT count(*) AS n, max(at) AS m FROM "AuditEvent" WHERE "organizationId" = o.id) a,
         LATERAL (SELECT count(*) AS n, max(at) AS m FROM "ContractEvent" WHERE "organizationId" = o.id) c,
         LATERAL (SELECT count(*) AS n, max("finishedAt") AS m FROM "JobRun" WHERE "organizationId" = o.id AND "finishedAt" IS NOT NULL) j
   WHERE o.id = $1`;

async function queryDataVersion(orgId: string): Promise<string> {
  const { rows } = await sessionPool().query<{ u: number; r: number; a: string; am: Date | null; c: string; cm: Date | null; j: string; jm: Date | null }>({ name: "org-data-version", text: DATA_VERSION_SQL, values: [orgId] });
  const v = rows[0];
  if (!v) return "none";
  const t = (d: Date | null) => (d ? d.getTime() : 0);
  return `${v.u}.${v.r}.${v.a}.${t(v.am)}.${v.c}.${t(v.cm)}.${v.j}.${t(v.jm)}`;
}

/** UTC day of `now`: cached answers that depend on "today" (tenors, windows ending soon) turn over at midnight. */
const dayOf = (now: Date) => now.toISOString().slice(0, 10);

function evict(now: number) {
  if (store.size < MAX_ENTRIES) return;
  // Map iteration is insertion order and hits re-insert: the first keys are the least recently used
  for (const [k, e] of store) {
    if (store.size < MAX_ENTRIES * 0.9 && now - e.at < MAX_AGE_MS) break;
    store.delete(k);
  }
}

/**
 * `fn()` for (ctx's org and team scope, name, args, today), computed once per data version.
 * A failed computation is not kept.
 */
export async function cachedRead<T>(ctx: Pick<Ctx, "orgId"> & Partial<Pick<Ctx, "teamId" | "role">>, name: string, args: unknown, fn: () => Promise<T>, now = new Date()): Promise<T> {
  // READ_CACHE=off: integration tests set up data with direct table writes that no version records
  if (process.env.READ_CACHE === "off") return fn();
  const version = await orgDataVersion(ctx.orgId);
  // role and team are part of the key: a team lead's answer is never served to another role, nor the reverse
  const key = `${ctx.orgId}|${ctx.role ?? "-"}|${ctx.teamId ?? "*"}|${name}|${dayOf(now)}|${JSON.stringify(args ?? null)}`;
  const t = Date.now();
  const hit = store.get(key);
  // a computation whose every waiter left was cancelled (lib/db/cancel.ts): computed again, not joined
  if (hit && hit.version === version && t - hit.at < MAX_AGE_MS && !hit.work.aborted) {
    stats.hits++;
    store.delete(key);
    store.set(key, hit);
    hit.work.join(currentQueryScope());
    return hit.value as Promise<T>;
  }
  stats.misses++;
  evict(t);
  // one computation for every request that asks while it runs: cancelled only when all of them have left
  const work = sharedWork(cancelBackend, fn);
  work.join(currentQueryScope());
  const value = work.value;
  const entry: Entry = { version, value, at: t, work };
  store.set(key, entry);
  value.catch(() => {
    if (store.get(key) === entry) store.delete(key);
  });
  return value;
}

/** For tests and the benchmark's report. */
export function readCacheStats() {
  return { entries: store.size, ...stats };
}
export function clearReadCache() {
  store.clear();
  stats.hits = 0;
  stats.misses = 0;
}
