import { hostname } from "node:os";
import pino from "pino";

/** The process's role: set by scripts/start.ts for its children; the worker entry point is recognised by name. */
const service = process.env.TOKENHEDGE_PROCESS ?? (process.argv.some((a) => a.includes("worker-main")) ? "worker" : "web");

/**
 * Errors are logged as type, message, code and stack only: driver errors carry their client (connection
 * parameters, secret key, pool state), which must never reach a log line.
 */
const err = (e: unknown) => {
  if (!(e instanceof Error)) return { message: String(e) };
  const x = e as Error & { code?: string; detail?: string };
  return { type: x.name, message: x.message, ...(x.code ? { code: x.code } : {}), ...(x.detail ? { detail: x.detail } : {}), stack: x.stack };
};

export const log = pino({
  level: process.env.LOG_LEVEL ?? "info",
  // every line names its service, instance and process, so N web and worker instances can be told apart
  base: { service, instance: process.env.INSTANCE_ID ?? hostname(), pid: process.pid },
  serializers: { err, error: err },
  timestamp: pino.stdTimeFunctions.isoTime,
});
