/**
 * npm run bench:ingest — 1,000,000 Tokenhedge-CSV rows through the real import path (stream parse → validate
 * → COPY → one upsert, in one transaction) into a fresh PostgreSQL database, against `psql \copy` of the same
 * file into a scratch table in the same run. Last line:
 *   ingest rows=… seconds=… copy_seconds=… ratio=… peak_rss_mb=…
 */
import { execFileSync } from "node:child_process";
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { once } from "node:events";
import { tmpdir } from "node:os";
import path from "node:path";
import { createDb, dbUrl, dropDb, migrate, uniqueDbName } from "@/tests/pg";

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const TEAMS = 10;
const MODELS = 10;
const dir = mkdtempSync(path.join(tmpdir(), "th-ingest-"));
const file = path.join(dir, "usage.csv");

// hourly rows: every team × model × hour is a distinct key, so all rows are written
const out = createWriteStream(file);
out.write("date,team,provider,model,input_tokens,output_tokens,cached_input_tokens,requests\n");
const start = Date.UTC(2025, 0, 1);
let buf = "";
for (let i = 0; i < ROWS; i++) {
  const combo = i % (TEAMS * MODELS);
  const hour = Math.floor(i / (TEAMS * MODELS));
  buf += `${new Date(start + hour * 3_600_000 + 60_000).toISOString()},Team ${combo % TEAMS},Bench,model-${Math.floor(combo / TEAMS)},${1000 + (i % 977)},${100 + (i % 131)},${i % 50},${1 + (i % 7)}\n`;
  if (buf.length > 1 << 20) {
    if (!out.write(buf)) await once(out, "drain");
    buf = "";
  }
}
out.end(buf);
await once(out, "finish");
const mb = statSync(file).size / 1e6;

const dbName = uniqueDbName("th_bench");
await createDb(dbName);
const url = dbUrl(dbName);
process.env.DATABASE_URL = url;
process.env.LOG_LEVEL ??= "warn";
try {
  migrate(url);
  const { prisma } = await import("@/lib/db/client");
  const { importUsage } = await import("@/lib/services/usage-import");
  const org = await prisma.organization.create({ data: { name: "Bench", slug: "bench" } });
  const cls = await prisma.modelClass.create({ data: { organizationId: org.id, key: "general-chat", name: "General chat" } });
  const provider = await prisma.provider.create({ data: { organizationId: org.id, name: "Bench" } });
  for (let t = 0; t < TEAMS; t++) await prisma.team.create({ data: { organizationId: org.id, name: `Team ${t}` } });
  for (let m = 0; m < MODELS; m++) await prisma.model.create({ data: { organizationId: org.id, providerId: provider.id, modelClassId: cls.id, name: `model-${m}` } });

  // physical baseline: the same bytes with psql \copy into an untyped scratch table
  execFileSync("psql", ["-q", url, "-c", "CREATE TABLE copy_baseline (a text, b text, c text, d text, e text, f text, g text, h text)"]);
  const c0 = performance.now();
  execFileSync("psql", ["-q", url, "-c", `\\copy copy_baseline FROM '${file}' WITH (FORMAT csv, HEADER true)`]);
  const copySeconds = (performance.now() - c0) / 1000;

  const t0 = performance.now();
  const r = await importUsage(
    { orgId: org.id, orgName: org.name, isDemo: false, actorId: null, actorName: "bench", role: "ADMIN", teamId: null },
    { fileName: "usage.csv", body: createReadStream(file, { highWaterMark: 1 << 20 }), mode: "commit", onErrors: "reject" },
  );
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== "COMPLETED" || r.rowsAccepted !== ROWS) throw new Error(`import did not complete: ${r.status} ${r.message}`);
  const [{ stored }] = await prisma.$queryRaw<{ stored: bigint }[]>`SELECT count(*) AS stored FROM "UsageRecord"`;
  const peak = process.resourceUsage().maxRSS / 1024;
  console.log(`file_mb=${mb.toFixed(1)} stored_records=${stored}`);
  console.log(`ingest rows=${ROWS} seconds=${seconds.toFixed(2)} copy_seconds=${copySeconds.toFixed(2)} ratio=${(seconds / copySeconds).toFixed(2)} peak_rss_mb=${peak.toFixed(0)}`);
  await prisma.$disconnect();
  const { pgPool } = await import("@/lib/db/pg");
  await pgPool().end();
} finally {
  await dropDb(dbName);
  rmSync(dir, { recursive: true, force: true });
}
