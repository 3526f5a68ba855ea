import pg from "pg";
import { env } from "@/lib/env";
import { instanceId, log, processRole } from "@/lib/log";
import { cancellable } from "./cancel";

const g = globalThis as unknown as { __pgPool?: pg.Pool; __sessionPool?: pg.Pool };

/** A positive integer from the environment, or the default (pool sizes, job expiries: see README "Scale-out"). */
export function poolSize(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : fallback;
}

/**
 * What this process's connections report as application_name (pg_stat_activity, and ImportProgress.owner): role,
 * instance and pid, cut to PostgreSQL's 63 bytes.
 */
export function applicationName(): string {
  return `th-${processRole()}:${instanceId.slice(0, 40)}:${process.pid}`.slice(0, 63);
}

/**
 * The statement cap of request queries in milliseconds (REQUEST_STATEMENT_TIMEOUT_MS, default 5 s), or null where
 * nothing is capped: only web processes (by entry point or TOKENHEDGE_PROCESS) are; jobs, tests and CLIs are not.
 */
export function requestStatementTimeoutMs(): number | null {
  const web = processRole(process.argv, process.env.TOKENHEDGE_PROCESS ?? "") === "web";
  const timeout = Math.floor(Number(process.env.REQUEST_STATEMENT_TIMEOUT_MS ?? 5000));
  return web && timeout > 0 ? timeout : null;
}

/** Raw pg pool for what Prisma cannot do (COPY streaming for imports). Same DATABASE_URL, same database. */
export function pgPool(): pg.Pool {
  return (g.__pgPool ??= cancellable(watched(new pg.Pool({ connectionString: env().DATABASE_URL, max: poolSize("PG_POOL_MAX", 5), application_name: applicationName() }), "raw"), cancelBackend));
}

/**
 * An idle pooled connection that the server ends (a restart, a failover, an administrator's terminate) makes the
 * pool emit "error"; unhandled, that would end the process. It is logged, and the pool opens a new connection
 * for the next query.
 */
export function watched(pool: pg.Pool, name: string): pg.Pool {
  pool.on("error", (err) => log.warn({ err: err.message, pool: name }, "an idle database connection was closed by the server"));
  return pool;
}

/**
 * The pool of the checks every request makes — the session's membership and the org's data version (lib/auth/
 * membership.ts, lib/services/read-cache.ts) — as prepared statements. Its own few connections, so a request is
 * never queued behind an import's COPY or a long read holding the raw pool. SESSION_POOL_MAX (default 3);
 * capped like every request query in web processes.
 */
export function sessionPool(): pg.Pool {
  const timeout = requestStatementTimeoutMs();
  return (g.__sessionPool ??= watched(
    new pg.Pool({
      connectionString: env().DATABASE_URL,
      max: poolSize("SESSION_POOL_MAX", 3),
      application_name: applicationName(),
      ...(timeout ? { statement_timeout: timeout } : {}),
    }),
    "session",
  ));
}

/**
 * Cancels the query a backend is running (lib/db/cancel.ts: a request whose client left). On the session pool,
 * which is never cancellable itself.
 */
export function cancelBackend(pid: number): Promise<unknown> {
  return sessionPool().query({ name: "cancel-backend", text: "SELECT pg_cancel_backend($1)", values: [pid] });
}
