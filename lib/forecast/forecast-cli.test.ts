import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

// npm run forecast (scripts/forecast-cli.ts) end to end: every spacing in one file, and the failures it must not hide
describe("forecast CLI", () => {
  it("forecasts minute, hourly and yearly series, names the ones it cannot forecast and exits 1", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "forecast-cli-"));
    try {
      const rows = ["series_id,timestamp,value"];
      for (let i = 0; i < 60; i++) rows.push(`per-minute,${new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString()},${100 + i}`);
      for (let i = 0; i < 24 * 15; i++) rows.push(`hourly,${new Date(Date.UTC(2026, 0, 1, i)).toISOString()},${50 + 10 * Math.sin((2 * Math.PI * i) / 24)}`);
      for (let i = 0; i < 20; i++) rows.push(`yearly,${2000 + i}-01-01,${1000 + 25 * i}`);
      rows.push("two-points,2026-01-01,1", "two-points,2026-01-02,2");
      for (const t of ["2026-01-01", "2026-01-02", "2026-01-03T07:00:00Z", "2026-01-04"]) rows.push(`irregular,${t},5`);
      writeFileSync(path.join(dir, "in.csv"), rows.join("\n") + "\n");
      const run = spawnSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", "scripts/forecast-cli.ts", "--in", path.join(dir, "in.csv"), "--horizon", "3", "--out", path.join(dir, "out.csv")], { encoding: "utf8" });
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/series two-points: only 2 distinct timestamps/);
      expect(run.stderr).toMatch(/series irregular: irregular timestamps/);
      const out = readFileSync(path.join(dir, "out.csv"), "utf8").trim().split("\n");
      expect(out[0]).toBe("series_id,timestamp,p10,p50,p90");
      expect(out.filter((l) => l.startsWith("per-minute,"))[0]).toMatch(/^per-minute,2026-01-01T01:00:00.000Z,/);
      expect(out.filter((l) => l.startsWith("hourly,"))).toHaveLength(3);
      expect(out.filter((l) => l.startsWith("yearly,")).map((l) => l.split(",")[1])).toEqual(["2020-01-01", "2021-01-01", "2022-01-01"]);
      expect(out).toHaveLength(1 + 9);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
