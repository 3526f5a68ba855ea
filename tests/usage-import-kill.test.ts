import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { tmpdir } from "node:os";
import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { pruneImportLeftovers } from "@/lib/services/usage-store";
import { makeOrg } from "./fixtures";
import { usageCount } from "./usage-db";

async function until<T>(what: string, f: () => Promise<T>, ok: (v: T) => boolean, ms = 45_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(v)})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const copying = async () =>
  Number((await prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'COPY "UsageRecord"%'`)[0].n);

describe("kill mid-import", () => {
  it("a process killed with SIGKILL while streaming leaves no rows, no series and no import; the hourly job clears its leftovers", async () => {
    const o = await makeOrg("kill");
    const uploadId = randomUUID();
    const spoolsBefore = readdirSync(tmpdir()).filter((n) => n.startsWith("th-usage-spool-")).length;
    const child = spawn(process.execPath, ["--import", "tsx", "tests/import-child.ts", o.org.id, uploadId], {
      env: { ...process.env, LOG_LEVEL: "silent" },
      stdio: ["ignore", "ignore", "inherit"],
    });
    const exited = once(child, "exit");
    // well into the file: rows have gone to the server through COPY and to the spool
    await until("100,000 rows processed", async () => (await prisma.importProgress.findUnique({ where: { uploadId } }))?.rowsProcessed ?? 0, (n) => n >= 100_000);
    expect(await copying()).toBe(1);
    child.kill("SIGKILL");
    await exited;
    // the server notices the dropped connection and rolls the transaction back
    await until("the COPY to end", copying, (n) => n === 0);
    expect(await usageCount(o.org.id)).toBe(0);
    expect(await prisma.usageSeries.count({ where: { organizationId: o.org.id } })).toBe(0);
    const orphanTotals = await prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM "UsageDaily" d LEFT JOIN "UsageSeries" s ON s.id = d."seriesId" WHERE s.id IS NULL`;
    expect(Number(orphanTotals[0].n)).toBe(0);
    expect(await prisma.import.count({ where: { organizationId: o.org.id } })).toBe(0);

    // outside the transaction it left its progress row and a spool folder; both go once an hour old
    expect(await prisma.importProgress.findUnique({ where: { uploadId } })).not.toBeNull();
    expect(readdirSync(tmpdir()).filter((n) => n.startsWith("th-usage-spool-")).length).toBeGreaterThan(spoolsBefore);
    expect((await pruneImportLeftovers(new Date())).progressRows).toBe(0);
    const pruned = await pruneImportLeftovers(new Date(Date.now() + 2 * 3_600_000));
    expect(pruned.progressRows).toBeGreaterThanOrEqual(1);
    expect(pruned.spoolFolders).toBeGreaterThanOrEqual(1);
    expect(await prisma.importProgress.findUnique({ where: { uploadId } })).toBeNull();
  });
});
