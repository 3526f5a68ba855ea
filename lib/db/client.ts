import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";
import { applicationName, poolSize, requestStatementTimeoutMs } from "./pg";

const globalForPrisma = globalThis as unknown as { __prisma?: PrismaClient };

/**
 * Web processes cap every statement (REQUEST_STATEMENT_TIMEOUT_MS, default 5 s) so a request its client has
 * abandoned cannot keep the database busy for minutes; the worker's jobs (rollups, forecasts) are not capped.
 * Pool size: DATABASE_POOL_MAX (default 10) — see README for the connection budget.
 */
function create(): PrismaClient {
  const timeout = requestStatementTimeoutMs();
  return new PrismaClient({
    adapter: new PrismaPg({
      connectionString: env().DATABASE_URL,
      max: poolSize("DATABASE_POOL_MAX", 10),
      application_name: applicationName(),
      ...(timeout ? { statement_timeout: timeout } : {}),
    }),
  });
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
