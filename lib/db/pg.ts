import pg from "pg";
import { env } from "@/lib/env";

const g = globalThis as unknown as { __pgPool?: pg.Pool };

/** Raw pg pool for what Prisma cannot do (COPY streaming for imports). Same DATABASE_URL, same database. */
export function pgPool(): pg.Pool {
  return (g.__pgPool ??= new pg.Pool({ connectionString: env().DATABASE_URL, max: 5 }));
}
