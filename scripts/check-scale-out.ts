/**
 * npm run check:scale-out — 2 web instances and 2 workers on one fresh PostgreSQL database (issue 20).
 *
 * Starts all four at once on a database pg-boss has never seen (the start-up race), seeds the demo organization,
 * runs forecasts.run once cleanly (the reference result and its duration), then sends the same forecasts.run for
 * the same org twice at once so both workers take one, SIGKILLs the worker that runs it mid-run, and meanwhile
 * reads the forecasts all the time: in SQL (the set pages read) and over HTTP through both web instances (the org
 * forecast and the coverage API, with an API token). Asserts:
 * - both queued runs were active at the same time on the two workers (the overlap really happened);
 * - derived data afterwards equals the clean run (no doubled forecasts or points, same numbers);
 * - no reader ever saw anything but the complete reference set (partial_reads);
 * - the killed run's pg-boss job was redone and completed within its expiry (recovered_s: kill → redone);
 * - no JobRun stays RUNNING; the killed one is FAILED as abandoned;
 * - every log line of every process names its service, instance and pid;
 * - a web instance removes a dead process's spool folder and progress row when it starts.
 * Needs a production build (`npx next build`). Last line:
 *   scale-out web=2 workers=2 duplicate_results=0 partial_reads=0 recovered_s=S
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { createDb, dbUrl, dropDb, migrate, uniqueDbName } from "../tests/pg";

const root = path.resolve(import.meta.dirname, "..");
const QUEUE = "forecasts.run";
const EXPIRY_S = 900; // JOB_EXPIRY_SECONDS["forecasts.run"], asserted against the queue below

function fail(msg: string): never {
  throw new Error(`check:scale-out failed: ${msg}`);
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until<T>(what: string, f: () => Promise<T>, ok: (v: T) => boolean, ms: number, every = 250): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (ok(v)) return v;
    if (Date.now() > end) fail(`timed out after ${ms / 1000} s waiting for ${what} (last: ${JSON.stringify(v)})`);
    await sleep(every);
  }
}
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

type Proc = { name: string; role: "web" | "worker"; child: ChildProcess; lines: string[]; tmp: string; port?: number };

if (!existsSync(path.join(root, ".next", "BUILD_ID"))) fail("no production build: run `npx next build` first");

const dbName = uniqueDbName("th_scaleout");
await createDb(dbName);
const url = dbUrl(dbName);
const procs: Proc[] = [];
const scratch = mkdtempSync(path.join(tmpdir(), "th-scaleout-"));
let sql: pg.Client | null = null;
let reading = false;

async function cleanup() {
  reading = false;
  const running = () => procs.filter((p) => p.child.exitCode === null && p.child.signalCode === null);
  for (const p of running()) p.child.kill("SIGTERM");
  // a web instance's primary stops its cluster processes first; SIGKILL only what is still there after 10 s
  for (let waited = 0; running().length && waited < 10_000; waited += 200) await sleep(200);
  for (const p of running()) p.child.kill("SIGKILL");
  await sql?.end().catch(() => undefined);
  await dropDb(dbName).catch(() => undefined);
  rmSync(scratch, { recursive: true, force: true });
}

try {
  migrate(url);
  process.env.DATABASE_URL = url;
  process.env.LOG_LEVEL = "warn";
  sql = new pg.Client({ connectionString: url });
  await sql.connect();
  const q = async <R extends pg.QueryResultRow>(text: string, params: unknown[] = []) => (await sql!.query<R>(text, params)).rows;

  console.log("seeding the demo organization (the import path, curves, forecasts, recommendations) …");
  const { seedDemo } = await import("@/lib/demo/seed");
  const seeded = await seedDemo();
  const orgId = seeded.orgId;
  // an API token for the HTTP readers, stored as lib/auth/context.ts looks it up (sha256 of the secret); the admin
  // service that issues tokens imports next-auth, which does not load outside Next
  const admin = (await q<{ userId: string }>(`SELECT "userId" FROM "Membership" WHERE "organizationId" = $1 AND role = 'ADMIN' LIMIT 1`, [orgId]))[0];
  const token = { secret: `th_${randomBytes(24).toString("base64url")}` };
  await q(`INSERT INTO "ApiToken" (id, "organizationId", name, "tokenHash", prefix, "createdById") VALUES ($1, $2, 'scale-out check', $3, $4, $5)`, [
    randomUUID(), orgId, createHash("sha256").update(token.secret).digest("hex"), token.secret.slice(0, 9), admin.userId,
  ]);

  // a web instance that died earlier on this host left a spool folder and a progress row behind
  const webTmp = (i: number) => path.join(scratch, `web-${i}`);
  const deadRoot = path.join(webTmp(1), "tokenhedge-web-web-1-999999");
  mkdirSync(path.join(deadRoot, "th-usage-spool-dead"), { recursive: true });
  writeFileSync(path.join(deadRoot, "th-usage-spool-dead", "rows.bin"), "x");
  await q(`INSERT INTO "ImportProgress" ("uploadId","organizationId","rowsProcessed","owner") VALUES ('dead-upload',$1,100,'th-web:web-1:999999')`, [orgId]);

  // all four at once, each with a temp directory of its own as separate hosts would have
  const secret = "scale-out-check-secret-0123456789abcdef";
  const start = async (role: "web" | "worker", i: number) => {
    const tmp = role === "web" ? webTmp(i) : path.join(scratch, `worker-${i}`);
    mkdirSync(tmp, { recursive: true });
    const port = role === "web" ? await freePort() : undefined;
    const args = role === "web" ? ["scripts/web-server.ts", "-p", String(port)] : ["lib/jobs/worker-main.ts"];
    // node itself (not the tsx wrapper), so the pid we kill is the process that runs the jobs
    const child = spawn(process.execPath, ["--import", "tsx", ...args], {
      cwd: root,
      env: {
        ...process.env, DATABASE_URL: url, TMPDIR: tmp, INSTANCE_ID: `${role}-${i}`, TOKENHEDGE_PROCESS: role, LOG_LEVEL: "info",
        NEXTAUTH_SECRET: secret, NEXTAUTH_URL: `http://localhost:${port ?? 3000}`, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", DEMO_MODE: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const p: Proc = { name: `${role}-${i}`, role, child, lines: [], tmp, port };
    let buf = "";
    child.stdout!.on("data", (d: Buffer) => {
      buf += d.toString();
      const parts = buf.split("\n");
      buf = parts.pop()!;
      p.lines.push(...parts.filter((l) => l.trim()));
    });
    child.stderr!.on("data", (d: Buffer) => process.stderr.write(`[${p.name}] ${d}`));
    procs.push(p);
    return p;
  };
  const started = await Promise.all([start("web", 1), start("web", 2), start("worker", 1), start("worker", 2)]);
  const webs = started.filter((p) => p.role === "web");
  const workers = started.filter((p) => p.role === "worker");
  const exitedEarly = () => started.find((p) => p.child.exitCode !== null);
  for (const w of workers)
    await until(`${w.name} to start`, async () => {
      if (exitedEarly()) fail(`${exitedEarly()!.name} exited during start-up`);
      return w.lines.some((l) => l.includes('"worker started"'));
    }, (x) => x, 120_000);
  for (const w of webs)
    await until(`${w.name} to serve`, async () => {
      if (exitedEarly()) fail(`${exitedEarly()!.name} exited during start-up`);
      return fetch(`http://127.0.0.1:${w.port}/api/health`).then((r) => r.ok, () => false);
    }, (x) => x, 180_000, 500);
  console.log("2 web + 2 workers started together on a fresh database");

  const queue = (await q<{ expire_seconds: number }>(`SELECT expire_seconds FROM pgboss.queue WHERE name = $1`, [QUEUE]))[0];
  if (queue?.expire_seconds !== EXPIRY_S) fail(`queue ${QUEUE} expiry is ${queue?.expire_seconds}, expected ${EXPIRY_S}`);
  if (existsSync(deadRoot)) fail("web-1 did not remove a dead process's spool folder on start-up");
  if ((await q(`SELECT 1 FROM "ImportProgress" WHERE "uploadId" = 'dead-upload'`)).length) fail("web-1 did not remove its earlier life's progress row");

  // what the forecasts look like, as pages read them (the latest as-of set), and as the API serves them
  type Fp = { asOf: string; forecasts: number; points: number; digest: string };
  const fingerprint = async (c: pg.Client = sql!): Promise<Fp> => {
    const { rows: r } = await c.query<Fp>(
      `WITH latest AS (SELECT max("asOf") AS d FROM "Forecast" WHERE "organizationId" = $1)
       SELECT to_char((SELECT d FROM latest), 'YYYY-MM-DD') AS "asOf",
              (SELECT count(*)::int FROM "Forecast" f WHERE f."organizationId" = $1 AND f."asOf" = (SELECT d FROM latest)) AS forecasts,
              (SELECT count(*)::int FROM "ForecastPoint" p JOIN "Forecast" f ON f.id = p."forecastId" WHERE f."organizationId" = $1 AND f."asOf" = (SELECT d FROM latest)) AS points,
              (SELECT md5(string_agg(coalesce(f."teamId", '-') || coalesce(f."modelClassId", '-') || ':' || p.date::text || p.metric || p.p50::text, ',' ORDER BY f."teamId", f."modelClassId", p.date, p.metric))
                 FROM "ForecastPoint" p JOIN "Forecast" f ON f.id = p."forecastId" WHERE f."organizationId" = $1 AND f."asOf" = (SELECT d FROM latest)) AS digest`,
      [orgId],
    );
    return r[0];
  };
  const classes = await q<{ id: string }>(`SELECT id FROM "ModelClass" WHERE "organizationId" = $1 ORDER BY key LIMIT 1`, [orgId]);
  // a rewrite stores the same numbers under new row ids and timestamps: those are not what a reader compares
  const VOLATILE = new Set(["id", "forecastId", "createdAt", "updatedAt"]);
  const normalized = (text: string) => {
    try {
      return JSON.stringify(JSON.parse(text, (k, v) => (VOLATILE.has(k) ? undefined : v)));
    } catch {
      return text;
    }
  };
  const api = (i: number, p: string) =>
    fetch(`http://127.0.0.1:${webs[i % 2].port}${p}`, { headers: { authorization: `Bearer ${token.secret}` } }).then(async (r) => `${r.status} ${normalized(await r.text())}`);
  const httpPaths = ["/api/v1/forecasts", `/api/v1/forecasts?modelClassId=${classes[0].id}`, "/api/v1/coverage"];
  const httpRead = async (i: number) => Promise.all(httpPaths.map((p) => api(i, p)));

  // the reference: one clean run through the queue
  const { startBoss } = await import("@/lib/jobs/queue");
  const boss = await startBoss({ connectionString: url, supervise: false, schedule: false, max: 2 });
  const jobRuns = () => q<{ id: string; status: string; worker: string | null; queueJobId: string | null; startedAt: Date; finishedAt: Date | null; durationMs: number | null; error: string | null }>(
    `SELECT id, status, worker, "queueJobId", "startedAt", "finishedAt", "durationMs", error FROM "JobRun" WHERE "organizationId" = $1 AND name = $2 ORDER BY "startedAt"`, [orgId, QUEUE]);
  const before = await fingerprint();
  const cleanId = (await boss.send(QUEUE, { orgId, reason: "scale-out reference run" }))!;
  const clean = await until("the reference run", async () => (await jobRuns()).find((r) => r.queueJobId === cleanId && r.status !== "RUNNING"), (r) => !!r, 600_000, 500);
  if (clean!.status !== "SUCCEEDED") fail(`reference run ${clean!.status}: ${clean!.error}`);
  const reference = await fingerprint();
  if (reference.forecasts !== before.forecasts || reference.points !== before.points) fail(`a clean re-run changed the set size (${JSON.stringify(before)} → ${JSON.stringify(reference)})`);
  const referenceHttp = await httpRead(0);
  if (!referenceHttp.every((b) => b.startsWith("200 "))) fail(`API reads failed: ${referenceHttp.map((b) => b.slice(0, 200)).join(" | ")}`);
  if ((await httpRead(1)).join() !== referenceHttp.join()) fail("the two web instances serve different forecasts");
  const durationMs = clean!.durationMs!;
  console.log(`reference run: ${reference.forecasts} forecasts, ${reference.points} points as of ${reference.asOf}, ${(durationMs / 1000).toFixed(1)} s`);

  // readers, all the time from here on
  reading = true;
  let reads = 0;
  const partial: string[] = [];
  const unavailable: string[] = [];
  const sqlReader = (async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    while (reading) {
      const f = await fingerprint(c);
      reads++;
      if (JSON.stringify(f) !== JSON.stringify(reference)) partial.push(`sql: ${JSON.stringify(f)}`);
      await sleep(50);
    }
    await c.end();
  })().catch((e: Error) => void unavailable.push(`sql reader: ${e.message}`));
  const httpReader = (async () => {
    for (let i = 0; reading; i++) {
      const bodies = await httpRead(i).catch((e: Error) => {
        unavailable.push(`web-${(i % 2) + 1}: ${e.message}`);
        return null;
      });
      if (!bodies) continue;
      reads++;
      bodies.forEach((b, k) => {
        if (b !== referenceHttp[k]) partial.push(`http web-${(i % 2) + 1} ${httpPaths[k]}: ${b.slice(0, 160)}`);
      });
      await sleep(100);
    }
  })().catch((e: Error) => void unavailable.push(`http reader: ${e.message}`));

  // the same per-org job on both workers at once
  const [idA, idB] = await Promise.all([boss.send(QUEUE, { orgId, reason: "scale-out A" }), boss.send(QUEUE, { orgId, reason: "scale-out B" })]);
  const ours = [idA!, idB!];
  const states = () => q<{ id: string; state: string; started_on: Date | null; completed_on: Date | null }>(`SELECT id::text, state, started_on, completed_on FROM pgboss.job WHERE id = ANY($1::uuid[])`, [ours]);
  await until("both jobs active on the two workers", states, (s) => s.length === 2 && s.every((j) => j.state === "active"), 60_000, 100);
  const running = await until("the run that holds the lock", async () => (await jobRuns()).find((r) => r.status === "RUNNING" && ours.includes(r.queueJobId ?? "")), (r) => !!r, 120_000, 50);
  const victim = workers.find((w) => running!.worker === `worker ${w.name} ${w.child.pid}`);
  if (!victim) fail(`no worker of ours runs it (${running!.worker})`);
  const survivor = workers.find((w) => w !== victim)!;
  // mid-run: a third of the way through the reference run's duration
  await sleep(Math.max(200, durationMs / 3));
  if ((await jobRuns()).find((r) => r.id === running!.id)?.status !== "RUNNING") fail("the run finished before it could be killed mid-run (too fast to test)");
  const killedAt = Date.now();
  victim.child.kill("SIGKILL");
  console.log(`SIGKILLed ${victim.name} (pid ${victim.child.pid}) ${(durationMs / 3000).toFixed(1)} s into its run`);
  const killedJob = running!.queueJobId!;
  const otherJob = ours.find((id) => id !== killedJob)!;

  // both jobs end completed: the other one (it was waiting for the lock) and the killed one, redone
  const done = await until("both jobs completed", states, (s) => s.every((j) => j.state === "completed" || j.state === "failed"), EXPIRY_S * 1000, 250);
  const recoveredS = (Date.now() - killedAt) / 1000;
  if (!done.every((j) => j.state === "completed")) fail(`jobs ended ${JSON.stringify(done)}`);
  if (recoveredS > EXPIRY_S) fail(`the killed job was redone after ${recoveredS} s, beyond its expiry (${EXPIRY_S} s)`);
  await until("follow-up jobs to finish", () => q<{ n: number }>(`SELECT count(*)::int AS n FROM pgboss.job WHERE state IN ('created','retry','active') AND name NOT LIKE '\\_\\_%'`), (r) => r[0].n === 0, 300_000, 500);
  reading = false;
  await Promise.all([sqlReader, httpReader]);

  const runs = await jobRuns();
  const after = await fingerprint();
  const duplicateResults = Math.max(0, after.forecasts - reference.forecasts) + Math.max(0, after.points - reference.points);
  if (unavailable.length) fail(`web instances failed ${unavailable.length} reads while a worker was killed: ${unavailable.slice(0, 3).join("; ")}`);
  if (JSON.stringify(after) !== JSON.stringify(reference)) fail(`derived data differs from one clean run: ${JSON.stringify(after)} vs ${JSON.stringify(reference)}`);
  const stillRunning = (await q<{ n: number }>(`SELECT count(*)::int AS n FROM "JobRun" WHERE status = 'RUNNING'`))[0].n;
  if (stillRunning) fail(`${stillRunning} JobRun rows still RUNNING`);
  const killedRun = runs.find((r) => r.id === running!.id)!;
  if (killedRun.status !== "FAILED" || !/abandoned/.test(killedRun.error ?? "")) fail(`the killed run is ${killedRun.status} (${killedRun.error})`);
  const redone = runs.filter((r) => r.queueJobId === killedJob && r.status === "SUCCEEDED");
  if (!redone.length || !redone.every((r) => r.worker === `worker ${survivor.name} ${survivor.child.pid}`)) fail("the killed job was not redone by the surviving worker");
  if (!runs.some((r) => r.queueJobId === otherJob && r.status === "SUCCEEDED")) fail("the second job did not succeed");
  // overlapping runs never overlapped in the log either
  const ordered = runs.filter((r) => r.status === "SUCCEEDED").sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
  for (let i = 1; i < ordered.length; i++) if (ordered[i].startedAt < ordered[i - 1].finishedAt!) fail("two runs of the job for the org overlapped");

  // every log line names its service, instance and pid
  let badLines = 0;
  let jsonLines = 0;
  for (const p of procs)
    for (const l of p.lines) {
      if (!l.startsWith("{")) continue;
      jsonLines++;
      const o = JSON.parse(l) as { service?: string; instance?: string; pid?: number };
      // a web instance may run several processes (node:cluster, WEB_CONCURRENCY): each logs its own pid
      const pidOk = p.role === "worker" ? o.pid === p.child.pid : Number.isInteger(o.pid) && o.pid! > 0;
      if (o.service !== p.role || o.instance !== p.name || !pidOk) badLines++;
    }
  if (!jsonLines || badLines) fail(`${badLines} of ${jsonLines} log lines do not name their service, instance and pid`);
  await boss.stop({ graceful: false, wait: true });
  if (partial.length) console.log(`partial reads (first 5 of ${partial.length}):\n  ${partial.slice(0, 5).join("\n  ")}`);
  const durations = await q<{ name: string; n: number; avg_s: number; max_s: number }>(
    `SELECT name, count(*)::int AS n, round(avg("durationMs") / 1000.0, 1)::float AS avg_s, round(max("durationMs") / 1000.0, 1)::float AS max_s FROM "JobRun" WHERE status = 'SUCCEEDED' GROUP BY name ORDER BY name`,
  );
  console.log(`job durations here: ${durations.map((d) => `${d.name} ${d.avg_s} s (max ${d.max_s}, ${d.n} runs)`).join("; ")}`);
  const startRetries = procs.reduce((n, p) => n + p.lines.filter((l) => l.includes("pg-boss start failed; retrying")).length, 0);
  console.log(`${reads} reads during the runs; ${runs.length} runs logged; ${jsonLines} log lines checked; ${startRetries} start-up retries`);
  console.log(`scale-out web=2 workers=2 duplicate_results=${duplicateResults} partial_reads=${partial.length} recovered_s=${recoveredS.toFixed(1)}`);
  await cleanup();
  process.exit(partial.length ? 1 : 0);
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
  for (const p of procs) if (p.lines.length) console.error(`--- last log lines of ${p.name}:\n${p.lines.slice(-5).join("\n")}`);
  await cleanup();
  process.exit(1);
}
