/**
 * npm run bench:dashboard — read-path latency under load, on an organization grown through the real import path.
 *
 *  1. A fresh database; the labelled demo organization (seedDemo: catalog of 11 models in 4 classes with
 *     effective-dated list prices, usage, quotes and curves, forecasts, contracts, marks, recommendations — what
 *     the CFO's dashboard shows), grown by TEAMS_1M teams with a year of daily usage per team × model (≈1M rows)
 *     imported with importUsage, then the usage.rollup and forecasts.run jobs' functions (timed).
 *  2. The production build (run `npm run build` first) served by scripts/web-server.ts as in production, with
 *     CONNECTIONS CFO users of the org, each with a session cookie minted with the server's secret.
 *  3. autocannon (bench/load.ts, in a process of its own), CONNECTIONS (50) connections for SECONDS (20) per target, each connection signed in as its own
 *     CFO (the page cache keeps pages per session, so every user's first load is a render): /dashboard, the usage
 *     API (a year, monthly by class), /usage, /forecasts and the valuation, contracts and chargeback pages and
 *     APIs. p95 is computed from every response's latency in the same run.
 *  3b. The render pass (skip with BENCH_RENDER=0): the server restarted with PAGE_CACHE=off and the pages loaded
 *     again, so the cost of rendering every request is printed beside the cached figures, not hidden.
 *  4. With BENCH_10M=1 the org grows to ≈10M rows (more teams, same import path) and the targets run again.
 * Last lines:  dashboard rows=1000000 p95_ms=P rps=R   [and]   dashboard rows=10000000 p95_ms=P growth=G
 * (p95 is the worst target's p95). Targets: p95 ≤ 150 ms at 1M; growth ≤ 1.5.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from "node:child_process";
import { promisify } from "node:util";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { encode } from "next-auth/jwt";
import { createDb, dbUrl, dropDb, migrate, uniqueDbName } from "@/tests/pg";
import { DEMO_MODELS } from "@/lib/demo/catalog";

const root = path.resolve(import.meta.dirname, "..");
const SECONDS = Number(process.env.SECONDS ?? 20);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 50);
const DAYS = 365;
// the demo organization's catalog (11 models in 4 classes, effective-dated list prices with cuts)
const MODELS = DEMO_MODELS.map((m) => [m.provider, m.name] as const);
const TODAY = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate()));
/** The last twelve whole calendar months: the usage API target's range and the cold path's */
const LAST_YEAR = {
  from: new Date(Date.UTC(TODAY.getUTCFullYear() - 1, TODAY.getUTCMonth(), 1)).toISOString().slice(0, 10),
  to: new Date(Date.UTC(TODAY.getUTCFullYear(), TODAY.getUTCMonth(), 0)).toISOString().slice(0, 10),
};
const TEAMS_1M = Math.ceil(1_000_000 / (DAYS * MODELS.length));
const TEAMS_10M = Math.ceil(10_000_000 / (DAYS * MODELS.length));
const distDir = process.env.NEXT_DIST_DIR ?? ".next";
if (!existsSync(path.join(root, distDir, "BUILD_ID"))) {
  console.error(`bench:dashboard needs the production build in ${distDir}: run \`npm run build\` first (NEXT_DIST_DIR=.next-bench for a separate one)`);
  process.exit(2);
}

// BENCH_DB=name reuses a database kept by an earlier run (BENCH_KEEP=1) instead of seeding again
const reuse = process.env.BENCH_DB;
const keep = process.env.BENCH_KEEP === "1" || !!reuse;
const dbName = reuse ?? uniqueDbName("th_bench_dash");
if (!reuse) await createDb(dbName);
const url = dbUrl(dbName);
process.env.DATABASE_URL = url;
process.env.LOG_LEVEL ??= "warn";
const secret = `bench-${Math.random().toString(36).slice(2)}-${Date.now()}-secret`;
const proc: { server: ChildProcess | null } = { server: null };
const tmp = mkdtempSync(path.join(tmpdir(), "th-bench-dash-"));

/** Daily rows of teams [fromTeam, toTeam) for a year, as a stream of CSV chunks (never the whole file in memory). */
function usageCsv(fromTeam: number, toTeam: number): Readable {
  const start = TODAY.getTime() - DAYS * 86_400_000;
  let t = fromTeam;
  let headerSent = false;
  return new Readable({
    read() {
      if (!headerSent) {
        headerSent = true;
        this.push("date,team,provider,model,input_tokens,output_tokens,cached_input_tokens,requests\n");
        return;
      }
      if (t >= toTeam) return void this.push(null);
      let buf = "";
      for (let d = 0; d < DAYS; d++) {
        const day = new Date(start + d * 86_400_000).toISOString().slice(0, 10);
        for (let m = 0; m < MODELS.length; m++) {
          const v = 1_000_000 + ((t * 7919 + d * 104729 + m * 1299709) % 900_000);
          buf += `${day},Bench team ${t},${MODELS[m][0]},${MODELS[m][1]},${v},${Math.floor(v / 5)},${Math.floor(v / 10)},${1 + (v % 97)}\n`;
        }
      }
      t++;
      this.push(buf);
    },
  });
}

const SCENARIO_PATH = "/api/v1/scenario";
const execFileAsync = promisify(execFile);
/**
 * CONNECTIONS connections on one target, each signed in as its own CFO (cookies[i % n]), run by bench/load.ts in a
 * process of its own (this one's heap holds what seeding and forecasting left; its GC pauses are not the server's).
 */
async function load(target: string, cookies: string[]) {
  const job = { url: `http://127.0.0.1:${port}`, target, cookies, connections: CONNECTIONS, seconds: SECONDS, scenarioPath: SCENARIO_PATH };
  // asynchronously: this process's own connections (warm-up fetches) must keep being serviced meanwhile
  const { stdout: out } = await execFileAsync(process.execPath, ["--import", "tsx", path.join(root, "bench/load.ts"), JSON.stringify(job)], { cwd: root, encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
  const r = JSON.parse(out.trim().split("\n").at(-1)!) as { requests: number; rps: number; p50: number | null; p95: number | null; timeouts: number; non2xx: number; kb: number };
  return { target, ...r, p50: r.p50 ?? Infinity, p95: r.p95 ?? Infinity };
}

const port = 3900 + Math.floor(Math.random() * 50);
async function startServer(extraEnv: Record<string, string> = {}): Promise<void> {
  // BENCH_PROFILE=dir writes a V8 CPU profile of the server to dir when it stops
  const prof = process.env.BENCH_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  proc.server = spawn(process.execPath, [...prof, "--import", "tsx", "scripts/web-server.ts", "-p", String(port)], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url, NEXTAUTH_SECRET: secret, NEXTAUTH_URL: `http://localhost:${port}`, TOKENHEDGE_PROCESS: "web", LOG_LEVEL: "warn", NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", ...extraEnv },
    stdio: ["ignore", "ignore", "inherit"],
  });
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("web server did not start");
}

/**
 * The cost of a cache miss (the first request after an import or a job): each page's and API's service call
 * timed once, uncached, in this process against the same database.
 */
async function coldPath(orgId: string, cfoId: string) {
  const prev = process.env.READ_CACHE;
  process.env.READ_CACHE = "off";
  const ctx = { orgId, orgName: "bench", isDemo: true, actorId: cfoId, actorName: "bench CFO", role: "CFO" as const, teamId: null };
  const usage = await import("@/lib/services/usage");
  const dash = await import("@/lib/services/hedging/dashboard");
  const marks = await import("@/lib/services/hedging/marks");
  const fc = await import("@/lib/services/forecasts");
  const curves = await import("@/lib/services/curves");
  const recs = await import("@/lib/services/hedging/recommendations");
  const cb = await import("@/lib/services/hedging/chargebacks");
  const contracts = await import("@/lib/services/hedging/contracts");
  const { filterOptions } = await import("@/lib/services/lookups");
  const y = LAST_YEAR;
  const calls: [string, () => Promise<unknown>][] = [
    ["usageSeries(year, month)", () => usage.usageSeries(ctx, y, "month")],
    ["usageBreakdown(year, class)", () => usage.usageBreakdown(ctx, y, "class")],
    ["usageBreakdown(year, team)", () => usage.usageBreakdown(ctx, y, "team")],
    ["usageExtent", () => usage.usageExtent(ctx)],
    ["filterOptions", () => filterOptions(ctx)],
    ["coverageView", () => dash.coverageView(ctx)],
    ["budgetView", () => dash.budgetView(ctx)],
    ["dashboardAlerts", () => dash.dashboardAlerts(ctx)],
    ["spendView", () => dash.spendView(ctx)],
    ["portfolioMarks", () => marks.portfolioMarks(ctx)],
    ["marksHistory", () => marks.marksHistory(ctx)],
    ["forecastView(org)", () => fc.forecastView(ctx, {})],
    ["curveView", () => curves.curveView(ctx)],
    ["qualityAdjusted", () => curves.qualityAdjusted(ctx)],
    ["latestRecommendations", () => recs.latestRecommendations(ctx)],
    ["chargebackStatement(default period)", () => cb.chargebackStatement(ctx, { period: cb.defaultPeriod() })],
    ["listContracts", () => contracts.listContracts(ctx, { page: 1, pageSize: 50, sort: "bookedAt", dir: "desc" } as never)],
  ];
  for (const [name, fn] of calls) {
    const t0 = performance.now();
    try {
      await fn();
      console.log(`  cold ${name}: ${(performance.now() - t0).toFixed(0)} ms`);
    } catch (e) {
      console.log(`  cold ${name}: failed after ${(performance.now() - t0).toFixed(0)} ms: ${(e as Error).message.split("\n")[0]}`);
    }
  }
  process.env.READ_CACHE = prev;
}

/**
 * The plans of the usage reads the dashboard and the usage API run, as PostgreSQL executes them on this org:
 * the services' own SQL is captured from the Prisma client and run again under EXPLAIN ANALYZE (read path issue:
 * "indexes that the plans actually use, kept in the benchmark output"). Prints each plan's node lines.
 */
async function explainUsageReads(orgId: string, cfoId: string, label: string) {
  const { Prisma } = await import("@/lib/generated/prisma/client");
  const { pgPool } = await import("@/lib/db/pg");
  const usage = await import("@/lib/services/usage");
  const client = (globalThis as unknown as { __prisma: { $queryRaw: (...a: unknown[]) => Promise<unknown> } }).__prisma;
  const captured: { name: string; sql: string; values: unknown[] }[] = [];
  const original = client.$queryRaw;
  let current = "";
  client.$queryRaw = (...a: unknown[]) => {
    const q = Array.isArray(a[0]) && "raw" in (a[0] as object) ? Prisma.sql(a[0] as unknown as TemplateStringsArray, ...(a.slice(1) as never[])) : (a[0] as InstanceType<typeof Prisma.Sql>);
    if (/"Usage(Monthly|ClassDaily|Daily)"/.test(q.text)) captured.push({ name: current, sql: q.text, values: q.values });
    return original.apply(client, a);
  };
  const prev = process.env.READ_CACHE;
  process.env.READ_CACHE = "off";
  const ctx = { orgId, orgName: "bench", isDemo: true, actorId: cfoId, actorName: "bench CFO", role: "CFO" as const, teamId: null };
  try {
    for (const [name, fn] of [
      ["usage API: a year by month", () => usage.usageSeries(ctx, LAST_YEAR, "month")],
      ["usage API: a year by class", () => usage.usageBreakdown(ctx, LAST_YEAR, "class")],
      ["explorer: 30 days by day", () => usage.usageSeries(ctx, { from: new Date(TODAY.getTime() - 30 * 86_400_000).toISOString().slice(0, 10), to: TODAY.toISOString().slice(0, 10) }, "day")],
    ] as const) {
      current = name;
      await fn();
    }
  } finally {
    client.$queryRaw = original;
    process.env.READ_CACHE = prev;
  }
  console.log(`plans at ${label} rows (EXPLAIN ANALYZE of the services' own SQL):`);
  for (const q of captured) {
    const { rows } = await pgPool().query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, COSTS OFF, TIMING ON) ${q.sql}`, q.values as unknown[]);
    const lines = rows.map((r) => r["QUERY PLAN"]).filter((l) => /Scan|Join|Aggregate|Sort|Append|Execution Time/.test(l));
    console.log(`  [${q.name}]\n${lines.map((l) => `    ${l.trim()}`).join("\n")}`);
    if (lines.some((l) => /Seq Scan on "Usage(Daily|Monthly|ClassDaily)"/.test(l))) console.log("    ! a sequential scan of a usage table");
  }
}

/** The JavaScript a first visit to `page` downloads: every script the HTML loads, gzipped (target ≤ 300 KB). */
async function firstLoadJs(page: string, cookie: string) {
  const { gzipSync } = await import("node:zlib");
  const html = await (await fetch(`http://127.0.0.1:${port}${page}`, { headers: { cookie } })).text();
  const srcs = [...new Set([...html.matchAll(/<script[^>]+src="([^"]+)"/g)].map((m) => m[1]))];
  let raw = 0;
  let gz = 0;
  for (const src of srcs) {
    const body = Buffer.from(await (await fetch(new URL(src, `http://127.0.0.1:${port}`))).arrayBuffer());
    raw += body.length;
    gz += gzipSync(body).length;
  }
  return `scripts=${srcs.length} raw_kb=${(raw / 1024).toFixed(0)} gzip_kb=${(gz / 1024).toFixed(0)} (target ≤ 300)`;
}

async function round(label: number, cookies: string[], only?: (t: string) => boolean) {
  const year = LAST_YEAR;
  // BENCH_TARGETS=comma-separated paths narrows a run while iterating; the default list is the issue's
  const targets = process.env.BENCH_TARGETS?.split(",") ?? [
    "/dashboard", `/api/v1/usage?bucket=month&groupBy=class&from=${year.from}&to=${year.to}`, "/usage", "/forecasts",
    // the valuation, contracts and chargeback pages and APIs
    "/contracts", "/chargebacks", "/hedging/recommendations", "/market", "/api/v1/coverage", "/api/v1/marks",
    // the dashboard's stress scenario: computed per request (never in the page cache; answered by the web server
    // itself, lib/web/direct-api.ts), the one allowed simulation
    `${SCENARIO_PATH} (a random shock per request)`,
  ];
  const results = [];
  for (const t of targets.filter(only ?? (() => true))) {
    // one warm-up request per target, not timed
    await fetch(`http://127.0.0.1:${port}${t.split(" ")[0]}`, { headers: { cookie: cookies[0], connection: "close" } });
    const r = await load(t, cookies);
    console.log(`  ${t}: requests=${r.requests} rps=${r.rps.toFixed(1)} p50_ms=${r.p50.toFixed(1)} p95_ms=${r.p95.toFixed(1)} timeouts=${r.timeouts} non2xx=${r.non2xx} kb_per_answer=${r.kb.toFixed(0)}`);
    results.push(r);
  }
  const worst = results.reduce((a, b) => (b.p95 > a.p95 ? b : a));
  const rps = results.reduce((s, r) => s + r.rps, 0) / results.length;
  return { rows: label, p95: worst.p95, rps, worst: worst.target };
}


try {
  if (!reuse) migrate(url);
  const { prisma } = await import("@/lib/db/client");
  const { importUsage } = await import("@/lib/services/usage-import");
  const { rollupUsage } = await import("@/lib/services/usage-rollup");
  const { seedDemo } = await import("@/lib/demo/seed");
  const { runForecasts } = await import("@/lib/services/forecast-run");
  // The organization is the labelled demo one (forecasts, curves, contracts, marks, recommendations: what a CFO's
  // dashboard shows), grown with extra teams through the import path.
  const existing = reuse ? await prisma.organization.findFirst({ where: { slug: { startsWith: "bench-dash-" } } }) : null;
  if (!existing) {
    const s0 = performance.now();
    const stamp = Date.now();
    await seedDemo({ slug: `bench-dash-${stamp}`, name: "Bench dashboard (demo data)", emailDomain: `bench-${stamp}.test` });
    console.log(`demo organization seeded in ${((performance.now() - s0) / 1000).toFixed(1)} s`);
  }
  const org = existing ?? (await prisma.organization.findFirstOrThrow({ where: { slug: { startsWith: "bench-dash-" } } }));
  const cfo = (await prisma.membership.findFirstOrThrow({ where: { organizationId: org.id, role: "CFO" }, include: { user: true } })).user;
  const teamRows = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => ({ organizationId: org.id, name: `Bench team ${from + i}` }));
  const ctx = { orgId: org.id, orgName: org.name, isDemo: false, actorId: cfo.id, actorName: "bench", role: "ADMIN" as const, teamId: null };
  const grow = async (from: number, to: number) => {
    await prisma.team.createMany({ data: teamRows(from, to) });
    const t0 = performance.now();
    // in slices of 50 teams: each slice is one import, as a customer's monthly files would be
    for (let a = from; a < to; a += 50) {
      const r = await importUsage(ctx, { fileName: `bench-${a}.csv`, body: usageCsv(a, Math.min(to, a + 50)), mode: "commit", onErrors: "reject" });
      if (r.status !== "COMPLETED") throw new Error(`import failed: ${r.message}`);
    }
    const importS = (performance.now() - t0) / 1000;
    const r0 = performance.now();
    // the job's call: imports keep the read models current themselves, so it normally has nothing left to do
    const roll = await rollupUsage(org.id, { onlyIfBehind: true });
    const rollS = (performance.now() - r0) / 1000;
    const f0 = performance.now();
    const fc = await runForecasts(org.id, TODAY);
    const rows = Number((await prisma.$queryRaw<{ n: bigint }[]>`SELECT sum(rows)::bigint AS n FROM "UsageMonthly" WHERE "organizationId" = ${org.id}`)[0].n);
    console.log(`grown by ${to - from} teams: ${rows} usage rows; import ${importS.toFixed(1)} s, rollup job ${rollS.toFixed(1)} s (${roll.skipped ? "nothing to do: the imports kept the read models current" : `${roll.monthlyRows} monthly rows`}), forecasts ${((performance.now() - f0) / 1000).toFixed(1)} s (${fc.series} series)`);
    return rows;
  };
  // the read path is measured on a settled database: statistics current, and the imports' dirty pages written out
  // (a checkpoint writing gigabytes of them during the first target would be the import's cost, not the read's)
  const settle = () => execFileSync("psql", ["-q", url, "-c", "VACUUM ANALYZE", "-c", "CHECKPOINT"]);
  const rowsNow = async () => Number((await prisma.$queryRaw<{ n: bigint | null }[]>`SELECT sum(rows)::bigint AS n FROM "UsageMonthly" WHERE "organizationId" = ${org.id}`)[0].n ?? 0);
  const rows1 = existing ? await rowsNow() : await grow(0, TEAMS_1M);
  settle();
  console.log("cold path (one uncached call each):");
  await coldPath(org.id, cfo.id);
  await explainUsageReads(org.id, cfo.id, String(rows1));
  if (process.env.BENCH_COLD_ONLY === "1") process.exit(0);
  // CONNECTIONS CFOs of the org, each with its own session (the page cache keeps pages per session)
  const cfoIds = [cfo.id];
  for (let i = 1; i < CONNECTIONS; i++) {
    const email = `bench-cfo-${i}@${org.slug}.test`;
    const u = await prisma.user.upsert({ where: { email }, update: {}, create: { email, name: `Bench CFO ${i}` } });
    await prisma.membership.upsert({ where: { organizationId_userId: { organizationId: org.id, userId: u.id } }, update: {}, create: { organizationId: org.id, userId: u.id, role: "CFO" } });
    cfoIds.push(u.id);
  }
  const cookies = await Promise.all(cfoIds.map(async (uid) => `next-auth.session-token=${await encode({ secret, token: { uid, orgId: org.id, sv: 0 }, maxAge: 8 * 3600 })}`));
  await startServer();
  console.log(`first-load JS of /dashboard: ${await firstLoadJs("/dashboard", cookies[0])}`);
  console.log(`load: ${CONNECTIONS} connections × ${SECONDS} s per target, ${cookies.length} CFO sessions (one per connection)`);
  const r1 = await round(rows1, cookies);
  if (process.env.BENCH_RENDER !== "0") {
    // the cost of a page-cache miss: every page rendered by Next on every request
    proc.server?.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 1500));
    await startServer({ PAGE_CACHE: "off" });
    console.log("render pass (PAGE_CACHE=off: every page rendered on every request):");
    const rr = await round(rows1, cookies, (t) => !t.startsWith("/api/"));
    console.log(`render rows=${rr.rows} p95_ms=${rr.p95.toFixed(1)} (worst: ${rr.worst})`);
    proc.server?.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 1500));
    await startServer();
  }
  let r10: Awaited<ReturnType<typeof round>> | null = null;
  if (process.env.BENCH_10M === "1") {
    const rows10 = await grow(TEAMS_1M, TEAMS_10M);
    settle();
    console.log(`cold path at ${rows10} rows (one uncached call each):`);
    await coldPath(org.id, cfo.id);
    await explainUsageReads(org.id, cfo.id, String(rows10));
    r10 = await round(rows10, cookies);
  }
  console.log(`worst target at 1M: ${r1.worst}${r10 ? `; at 10M: ${r10.worst}` : ""}`);
  console.log(`dashboard rows=${r1.rows} p95_ms=${r1.p95.toFixed(1)} rps=${r1.rps.toFixed(1)}`);
  if (r10) console.log(`dashboard rows=${r10.rows} p95_ms=${r10.p95.toFixed(1)} growth=${(r10.p95 / r1.p95).toFixed(2)}`);
  await prisma.$disconnect();
} finally {
  proc.server?.kill("SIGTERM");
  rmSync(tmp, { recursive: true, force: true });
  await new Promise((r) => setTimeout(r, 1000));
  if (keep) console.log(`kept database ${dbName} (BENCH_DB=${dbName} reuses it)`);
  else await dropDb(dbName);
}
