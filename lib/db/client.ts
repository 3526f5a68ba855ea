import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";
import { cancellable } from "./cancel";
import { applicationName, cancelBackend, poolSize, requestStatementTimeoutMs, watched } from "./pg";

const globalForPrisma = globalThis as unknown as { __prisma?: PrismaClient };

/**
 * Web processes cap every statement (REQUEST_STATEMENT_TIMEOUT_MS, default 5 s) so a request its client has
 * abandoned cannot keep the database busy for minutes; the worker's jobs (rollups, forecasts) are not capped.
 * A request whose client leaves has its queries cancelled (lib/db/cancel.ts), so the pool is the app's own.
 * Pool size: DATABASE_POOL_MAX (default 10) — see README for the connection budget.
 */
function create(): PrismaClient {
  const timeout = requestStatementTimeoutMs();
  const pool = new pg.Pool({
    connectionString: env().DATABASE_URL,
    max: poolSize("DATABASE_POOL_MAX", 10),
    application_name: applicationName(),
    ...(timeout ? { statement_timeout: timeout } : {}),
  });
  return new PrismaClient({ adapter: new PrismaPg(cancellable(watched(pool, "prisma"), cancelBackend)) });
}

function client(): PrismaClient {
  return (globalForPrisma.__prisma ??= create());
}

/**
 * One client per process, cached on globalThis so dev hot reload does not leak pools. Created on first use,
 * not at import, so `next build` can load route modules without a database.
 */
export const prisma: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, prop) {
    const c = client();
    const v = Reflect.get(c, prop, c);
    return typeof v === "function" ? v.bind(c) : v;
  },
});

export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];
export type Db = PrismaClient | Tx;
