/**
 * npm run bench:ingest — 1,000,000 Tokenhedge-CSV rows through the real import path (importUsage: stream parse →
 * validate/map → binary COPY → daily totals, one transaction) into PostgreSQL, against `psql \copy` of the same
 * file into an untyped scratch table (the physical baseline) in the same run. The machine's I/O is noisy, so it
 * runs ROUNDS (default 3) rounds of baseline + import, each import into a fresh organization (the append path),
 * and compares medians; then (BENCH_REPLACE=0 skips it) it times a correction file that replaces every row. Last line:
 *   ingest rows=… seconds=… copy_seconds=… ratio=… peak_rss_mb=…
 */
import { execFileSync } from "node:child_process";
import { createReadStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createDb, dbUrl, dropDb, migrate, uniqueDbName } from "@/tests/pg";

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const TEAMS = 10;
const MODELS = 10;
const dir = mkdtempSync(path.join(tmpdir(), "th-ingest-"));
const file = path.join(dir, "usage.csv");
const correction = path.join(dir, "usage-corrected.csv");

// The file is written by a child process, so this process's peak RSS is the import's alone.
// Hourly rows: every team × model × hour is a distinct key, so all rows are written.
const writeFile = (target: string, bump: number) => execFileSync(process.execPath, ["-e", `
  const fs = require("fs");
  const out = fs.openSync(${JSON.stringify(target)}, "w");
  fs.writeSync(out, "date,team,provider,model,input_tokens,output_tokens,cached_input_tokens,requests\\n");
  const start = Date.UTC(2025, 0, 1);
  let buf = "";
  for (let i = 0; i < ${ROWS}; i++) {
    const combo = i % ${TEAMS * MODELS};
    const hour = Math.floor(i / ${TEAMS * MODELS});
    buf += new Date(start + hour * 3600000 + 60000).toISOString() + ",Team " + (combo % ${TEAMS}) + ",Bench,model-" + Math.floor(combo / ${TEAMS}) + "," + (${bump} + 1000 + (i % 977)) + "," + (100 + (i % 131)) + "," + (i % 50) + "," + (1 + (i % 7)) + "\\n";
    if (buf.length > 1 << 20) { fs.writeSync(out, buf); buf = ""; }
  }
  fs.writeSync(out, buf);
`]);
writeFile(file, 0);
const mb = statSync(file).size / 1e6;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const dbName = uniqueDbName("th_bench");
await createDb(dbName);
const url = dbUrl(dbName);
process.env.DATABASE_URL = url;
process.env.LOG_LEVEL ??= "warn";
try {
  migrate(url);
  const { prisma } = await import("@/lib/db/client");
  const { importUsage } = await import("@/lib/services/usage-import");
  const copies: number[] = [];
  const imports: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // physical baseline: the same bytes with psql \copy into an untyped scratch table
    execFileSync("psql", ["-q", url, "-c", `DROP TABLE IF EXISTS copy_baseline; CREATE TABLE copy_baseline (a text, b text, c text, d text, e text, f text, g text, h text)`]);
    const c0 = performance.now();
    execFileSync("psql", ["-q", url, "-c", `\\copy copy_baseline FROM '${file}' WITH (FORMAT csv, HEADER true)`]);
    copies.push((performance.now() - c0) / 1000);

    const org = await prisma.organization.create({ data: { name: `Bench ${round}`, slug: `bench-${round}` } });
    const cls = await prisma.modelClass.create({ data: { organizationId: org.id, key: "general-chat", name: "General chat" } });
    const provider = await prisma.provider.create({ data: { organizationId: org.id, name: "Bench" } });
    for (let t = 0; t < TEAMS; t++) await prisma.team.create({ data: { organizationId: org.id, name: `Team ${t}` } });
    for (let m = 0; m < MODELS; m++) await prisma.model.create({ data: { organizationId: org.id, providerId: provider.id, modelClassId: cls.id, name: `model-${m}` } });
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const r = await importUsage(
      { orgId: org.id, orgName: org.name, isDemo: false, actorId: null, actorName: "bench", role: "ADMIN", teamId: null },
      { fileName: "usage.csv", body: createReadStream(file, { highWaterMark: 1 << 20 }), mode: "commit", onErrors: "reject" },
    );
    imports.push((performance.now() - t0) / 1000);
    const cpu = process.cpuUsage(cpu0);
    if (r.status !== "COMPLETED" || r.rowsAccepted !== ROWS) throw new Error(`import did not complete: ${r.status} ${r.message}`);
    const [{ stored }] = await prisma.$queryRaw<{ stored: bigint }[]>`
      SELECT count(*) AS stored FROM "UsageRecord" u JOIN "UsageSeries" s ON s.id = u."seriesId" WHERE s."organizationId" = ${org.id}`;
    if (Number(stored) !== ROWS) throw new Error(`stored ${stored} rows, expected ${ROWS}`);
    console.log(`round ${round + 1}: import ${imports[round].toFixed(2)} s (node cpu ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s), psql \\copy ${copies[round].toFixed(2)} s, ratio ${(imports[round] / copies[round]).toFixed(2)}`);
  }
  const peak = process.resourceUsage().maxRSS / 1024; // the rounds' peak, before the correction below
  // Not part of the target: the same keys again with new values (a correction file) go through the replace path,
  // which scans the table for the rows it replaces.
  let replaceLine = "";
  if (process.env.BENCH_REPLACE !== "0") {
    writeFile(correction, 1);
    const org = await prisma.organization.findFirstOrThrow({ where: { slug: "bench-0" } });
    const t0 = performance.now();
    const r = await importUsage(
      { orgId: org.id, orgName: org.name, isDemo: false, actorId: null, actorName: "bench", role: "ADMIN", teamId: null },
      { fileName: "usage-corrected.csv", body: createReadStream(correction, { highWaterMark: 1 << 20 }), mode: "commit", onErrors: "reject" },
    );
    if (r.status !== "COMPLETED" || r.rowsReplaced !== ROWS) throw new Error(`correction did not replace every row: ${r.status} ${r.message}`);
    const [{ total }] = await prisma.$queryRaw<{ total: bigint }[]>`SELECT count(*) AS total FROM "UsageRecord"`;
    replaceLine = `replace: ${ROWS} rows replaced in ${((performance.now() - t0) / 1000).toFixed(2)} s (table holds ${total} rows), process peak RSS since start ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`;
  }
  const seconds = median(imports);
  const copySeconds = median(copies);
  if (replaceLine) console.log(replaceLine);
  console.log(`file_mb=${mb.toFixed(1)} rounds=${ROUNDS} (medians)`);
  console.log(`ingest rows=${ROWS} seconds=${seconds.toFixed(2)} copy_seconds=${copySeconds.toFixed(2)} ratio=${(seconds / copySeconds).toFixed(2)} peak_rss_mb=${peak.toFixed(0)}`);
  await prisma.$disconnect();
  const { pgPool } = await import("@/lib/db/pg");
  await pgPool().end();
} finally {
  await dropDb(dbName);
  rmSync(dir, { recursive: true, force: true });
}
