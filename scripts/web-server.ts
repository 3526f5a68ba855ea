/**
 * The web server: Next.js behind a plain Node HTTP server whose only job is to record the TCP peer's
 * address in `x-tokenhedge-peer`, overwriting anything a client sent under that name. Next itself keeps
 * a client-sent X-Forwarded-For as is, so without this the app could not tell a real client address from
 * a forged one (lib/auth/client-ip.ts trusts forwarded headers only when the peer is a TRUSTED_PROXIES entry).
 * It also sets the Content-Security-Policy, with a fresh script nonce for every page (lib/security/csp.ts), so
 * this server — not `next start` — is the way to serve the app.
 *
 * In production it runs WEB_CONCURRENCY Node processes (default: one per CPU) sharing the port through
 * node:cluster, so page rendering — CPU-bound in Next — uses every core; a process that dies is replaced.
 * Each process is a full web instance (own pools, spool and housekeeping; README "Connection budget").
 * A read (GET, HEAD) whose client leaves before its answer is complete has its queries cancelled (lib/db/cancel.ts);
 * a write runs to its end (its transaction commits or rolls back whole, whoever is still listening).
 *   tsx scripts/web-server.ts [-p PORT] [--dev]
 */
import cluster from "node:cluster";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { availableParallelism } from "node:os";
import next from "next";
import { PEER_HEADER } from "@/lib/auth/client-ip";
import { applyCsp } from "@/lib/security/csp";
import { startWebHousekeeping } from "@/lib/services/imports";
import { cacheableRequest, serveCached } from "@/lib/web/page-cache";
import { directRequest, serveDirect } from "@/lib/web/direct-api";
import { QueryScope, runInQueryScope } from "@/lib/db/cancel";
import { cancelBackend } from "@/lib/db/pg";

const dev = process.argv.includes("--dev");
const pi = process.argv.indexOf("-p");
const port = Number(pi >= 0 ? process.argv[pi + 1] : (process.env.PORT ?? 3000));
const hostname = process.env.HOSTNAME ?? "0.0.0.0";

const processes = dev ? 1 : Math.max(1, Number(process.env.WEB_CONCURRENCY ?? availableParallelism()) || 1);

if (cluster.isPrimary && processes > 1) {
  let stopping = false;
  for (let i = 0; i < processes; i++) cluster.fork();
  cluster.on("exit", (w, code, signal) => {
    if (stopping) {
      if (!Object.keys(cluster.workers ?? {}).length) process.exit(0);
      return;
    }
    console.error(`web process ${w.process.pid} exited (${signal ?? code}); starting another`);
    cluster.fork();
  });
  const stopAll = () => {
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill("SIGTERM");
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.on("SIGTERM", stopAll);
  process.on("SIGINT", stopAll);
} else {
  await serve();
}

async function serve() {
  startWebHousekeeping();
  const app = next({ dev, port, hostname: "localhost" });
  const handle = app.getRequestHandler();
  await app.prepare();

  const server = createServer((req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") return respond(req, res);
    const scope = new QueryScope(cancelBackend);
    res.on("close", () => {
      if (!res.writableFinished) scope.abort();
    });
    runInQueryScope(scope, () => respond(req, res));
  });
  function respond(req: IncomingMessage, res: ServerResponse) {
    req.headers[PEER_HEADER] = req.socket.remoteAddress ?? "unknown";
    const nonce = applyCsp(req, res, dev);
    // read pages and endpoints are answered from the page cache when nothing they show has changed (lib/web/page-cache.ts)
    if (!dev && cacheableRequest(req)) return void serveCached(req, res, nonce, () => handle(req, res));
    // the stress scenario is answered here, with the route's own checks and service call (lib/web/direct-api.ts)
    if (!dev && directRequest(req)) return void serveDirect(req, res, () => handle(req, res));
    void handle(req, res);
  }
  server.listen(port, hostname, () => {
    if (cluster.isPrimary || cluster.worker?.id === 1) console.log(`web listening on ${hostname}:${port}${dev ? " (dev)" : ""}${processes > 1 ? ` (${processes} processes)` : ""}`);
  });

  const stop = () => server.close(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
