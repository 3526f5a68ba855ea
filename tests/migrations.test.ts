import { execFileSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { createDb, dbUrl, dropDb, migrate, uniqueDbName } from "./pg";

const made: string[] = [];
afterAll(async () => {
  for (const n of made) await dropDb(n);
});

/** Column order is not part of the schema (ALTER TABLE ADD COLUMN appends): columns are compared as a sorted set. */
function sortColumns(lines: string[]): string[] {
  const out: string[] = [];
  let cols: string[] | null = null;
  for (const l of lines) {
    if (cols) {
      if (l.startsWith(");")) {
        out.push(...cols.sort(), l);
        cols = null;
      } else cols.push(l.replace(/,$/, ""));
    } else {
      out.push(l);
      if (/^CREATE TABLE .*\($/.test(l)) cols = [];
    }
  }
  return out;
}

function dump(url: string) {
  const lines = execFileSync("pg_dump", ["--schema-only", "--no-owner", "--no-privileges", "--exclude-table=_prisma_migrations", url], { encoding: "utf8" })
    .split("\n")
    .filter((l) => !l.startsWith("--") && !l.startsWith("\\restrict") && !l.startsWith("\\unrestrict") && l.trim() !== "");
  return sortColumns(lines).join("\n");
}

describe("migrations", () => {
  it("committed migrations produce exactly the schema in schema.prisma (no drift)", async () => {
    const viaMigrations = uniqueDbName("th_drift_m");
    const viaSchema = uniqueDbName("th_drift_s");
    made.push(viaMigrations, viaSchema);
    await createDb(viaMigrations);
    await createDb(viaSchema);
    migrate(dbUrl(viaMigrations));
    const sql = execFileSync("npx", ["prisma", "migrate", "diff", "--from-empty", "--to-schema-datamodel", "prisma/schema.prisma", "--script"], {
      encoding: "utf8",
      env: { ...process.env, DATABASE_URL: dbUrl(viaSchema) },
      stdio: ["ignore", "pipe", "ignore"],
    });
    execFileSync("psql", ["-q", "-v", "ON_ERROR_STOP=1", dbUrl(viaSchema)], { input: sql });
    // rules Prisma cannot express (triggers): their source of truth is prisma/db-rules.sql
    execFileSync("psql", ["-q", "-v", "ON_ERROR_STOP=1", "-f", "prisma/db-rules.sql", dbUrl(viaSchema)]);
    expect(dump(dbUrl(viaMigrations))).toBe(dump(dbUrl(viaSchema)));
  });
});
