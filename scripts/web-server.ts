/**
 * The web server: Next.js behind a plain Node HTTP server whose only job is to record the TCP peer's
 * address in `x-tokenhedge-peer`, overwriting anything a client sent under that name. Next itself keeps
 * a client-sent X-Forwarded-For as is, so without this the app could not tell a real client address from
 * a forged one (lib/auth/client-ip.ts trusts forwarded headers only when the peer is a TRUSTED_PROXIES entry).
 *   tsx scripts/web-server.ts [-p PORT] [--dev]
 */
import { createServer } from "node:http";
import next from "next";
import { PEER_HEADER } from "@/lib/auth/client-ip";

const dev = process.argv.includes("--dev");
const pi = process.argv.indexOf("-p");
const port = Number(pi >= 0 ? process.argv[pi + 1] : (process.env.PORT ?? 3000));
const hostname = process.env.HOSTNAME ?? "0.0.0.0";

const app = next({ dev, port, hostname: "localhost" });
const handle = app.getRequestHandler();
await app.prepare();

const server = createServer((req, res) => {
  req.headers[PEER_HEADER] = req.socket.remoteAddress ?? "unknown";
  void handle(req, res);
});
server.listen(port, hostname, () => console.log(`web listening on ${hostname}:${port}${dev ? " (dev)" : ""}`));

const stop = () => server.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
