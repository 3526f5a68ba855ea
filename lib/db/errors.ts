import { conflict } from "@/lib/errors";

/** Turns a unique-constraint violation into a 409 with a message the user can act on. */
export async function onUnique<T>(p: Promise<T>, message: string): Promise<T> {
  try {
    return await p;
  } catch (e) {
    if ((e as { code?: string })?.code === "P2002") throw conflict(message);
    throw e;
  }
}

/**
 * Whether a query was stopped by the web's statement cap (REQUEST_STATEMENT_TIMEOUT_MS): PostgreSQL's 57014 with
 * its timeout message, raised by pg directly or wrapped by Prisma's driver adapter (as the error's cause or meta).
 */
export function isStatementTimeout(e: unknown): boolean {
  const seen = new Set<unknown>();
  const walk = (x: unknown): boolean => {
    if (!x || typeof x !== "object" || seen.has(x)) return false;
    seen.add(x);
    const o = x as { code?: unknown; originalCode?: unknown; message?: unknown; originalMessage?: unknown; cause?: unknown; meta?: { driverAdapterError?: unknown } };
    const text = `${String(o.message ?? "")} ${String(o.originalMessage ?? "")}`;
    if ((o.code === "57014" || o.originalCode === "57014" || /canceling statement/.test(text)) && /statement timeout/.test(text)) return true;
    return walk(o.cause) || walk(o.meta?.driverAdapterError);
  };
  return walk(e);
}
