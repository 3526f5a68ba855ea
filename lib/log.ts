import { hostname } from "node:os";
import pino from "pino";

/**
 * The process's role. The entry point decides first (a worker started from a shell where TOKENHEDGE_PROCESS=web
 * was exported is still a worker), then TOKENHEDGE_PROCESS (set by scripts/start.ts for its children).
 */
export function processRole(argv = process.argv, envRole = process.env.TOKENHEDGE_PROCESS): string {
  if (argv.some((a) => a.includes("worker-main"))) return "worker";
  if (argv.some((a) => a.includes("web-server"))) return "web";
  return envRole ?? "web";
}

const service = processRole();
/** INSTANCE_ID names the instance (a container or host name); the host name when unset. */
export const instanceId = process.env.INSTANCE_ID ?? hostname();
/** "service instance pid": the same three fields every log line carries, in one string (JobRun.worker). */
export const processLabel = `${service} ${instanceId} ${process.pid}`;

/**
 * Errors are logged as type, message, code and stack only: driver errors carry their client (connection
 * parameters, secret key, pool state), which must never reach a log line.
 */
export const serializeError = (e: unknown) => {
  if (!(e instanceof Error)) return { message: String(e) };
  const x = e as Error & { code?: string; detail?: string };
  return { type: x.name, message: x.message, ...(x.code ? { code: x.code } : {}), ...(x.detail ? { detail: x.detail } : {}), stack: x.stack };
};

export const logOptions: pino.LoggerOptions = {
  level: process.env.LOG_LEVEL ?? "info",
  // every line names its service, instance and process, so N web and worker instances can be told apart
  base: { service, instance: instanceId, pid: process.pid },
  serializers: { err: serializeError, error: serializeError },
  timestamp: pino.stdTimeFunctions.isoTime,
};

export const log = pino(logOptions);
