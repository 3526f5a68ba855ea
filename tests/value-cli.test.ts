import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

/** `npm run value` is `tsx scripts/value-cli.ts`: run it the same way, as a child process. */
const dir = mkdtempSync(path.join(tmpdir(), "th-value-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};

type Run = { code: number; stdout: string; stderr: string };
const run = (args: string[]): Promise<Run> =>
  new Promise((resolve) => {
    execFile("npx", ["tsx", "scripts/value-cli.ts", ...args], { cwd: process.cwd(), env: { ...process.env, LOG_LEVEL: "silent" } }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === "number" ? err.code : 1) : 0, stdout, stderr }),
    );
  });

const CONTRACTS = `id,model_class,quantity_tokens,window_start,window_end,strike
M1,gpt,78000000,2026-10-15,2026-12-31,10
R1,gpt,3000000,2026-09-10,2026-09-12,13
`;
const CURVES = `model_class,month,price
gpt,2026-11,12
gpt,2026-12,12.5
`;
// 09-11 is missing (carried forward from 09-10); 11-10 is the as-of day and is not yet observed
const SPOT = `model_class,date,price
gpt,2026-09-10,10
gpt,2026-09-12,16
gpt,2026-10-14,9
gpt,2026-10-20,11
gpt,2026-11-05,13
gpt,2026-11-10,50
`;

const good = () => ({ contracts: write("contracts.csv", CONTRACTS), curves: write("curves.csv", CURVES), spot: write("spot.csv", SPOT) });
const args = (f: { contracts: string; curves: string; spot: string }, out: string, extra: string[] = []) => [
  "--contracts", f.contracts, "--curves", f.curves, "--spot", f.spot, "--as-of", "2026-11-10", ...extra, "--out", out,
];

describe("npm run value", () => {
  it("writes one row per contract month and a TOTAL row (default rate 0.04)", async () => {
    const out = path.join(dir, "marks.csv");
    const r = await run(args(good(), out));
    expect(r.stderr).toMatch(/wrote 6 rows/);
    expect(r.code).toBe(0);
    // M1 is worked by hand in lib/domain/valuation.test.ts ("window starting mid-month").
    // R1: Sep 10..12 realised, spot 10, 10 (carried), 16 → 36/3 = 12; (12 − 13) × 3 = −3, DF 1.
    expect(readFileSync(out, "utf8")).toBe(
      [
        "id,period,state,quantity_tokens,price,discount_factor,value_usd",
        "M1,2026-10,realised,17000000,10.411765,1.000000,7.000000",
        "M1,2026-11,averaging,30000000,12.033333,0.997701,60.859778",
        "M1,2026-12,forward,31000000,12.500000,0.994318,77.059612",
        "M1,TOTAL,total,78000000,11.865385,,144.919390",
        "R1,2026-09,realised,3000000,12.000000,1.000000,-3.000000",
        "R1,TOTAL,total,3000000,12.000000,,-3.000000",
        "",
      ].join("\n"),
    );
  });

  it("--rate 0 leaves values undiscounted", async () => {
    const out = path.join(dir, "marks0.csv");
    const r = await run(args(good(), out, ["--rate", "0"]));
    expect(r.code).toBe(0);
    const rows = readFileSync(out, "utf8").trim().split("\n").slice(1).map((l) => l.split(","));
    expect(rows.filter((c) => c[0] === "M1").map((c) => [c[1], c[5], c[6]])).toEqual([
      ["2026-10", "1.000000", "7.000000"],
      ["2026-11", "1.000000", "61.000000"],
      ["2026-12", "1.000000", "77.500000"],
      ["TOTAL", "", "145.500000"],
    ]);
  });

  it("rejects bad contract rows with their line numbers, exit 2, and writes nothing", async () => {
    const f = good();
    f.contracts = write(
      "bad-contracts.csv",
      `id,model_class,quantity_tokens,window_start,window_end,strike
A,gpt,1000,2026-02-30,2026-03-31,10
B,gpt,1000,2026-03-31,2026-03-01,10

C,gpt,1.5,2026-03-01,2026-03-31,10
D,gpt,0,2026-03-01,2026-03-31,10
E,gpt,1000,2026-03-01,2026-03-31,0
F,gpt,1000,2026-03-01,2026-03-31,abc
A,gpt,1000,2026-03-01,2026-03-31,10
G,gpt,-5,2026-03-01,2026-03-31,-1
`,
    );
    const out = path.join(dir, "never.csv");
    const r = await run(args(f, out));
    expect(r.code).toBe(2);
    expect(existsSync(out)).toBe(false);
    const e = r.stderr;
    expect(e).toMatch(/bad-contracts\.csv line 2: window_start is not a valid date YYYY-MM-DD: "2026-02-30"/);
    expect(e).toMatch(/line 3: window_end 2026-03-01 is before window_start 2026-03-31/);
    // line 4 is blank: numbering follows the file
    expect(e).toMatch(/line 5: quantity_tokens must be a positive whole number of tokens, got "1\.5"/);
    expect(e).toMatch(/line 6: quantity_tokens .* got "0"/);
    expect(e).toMatch(/line 7: strike must be a positive decimal .* got "0"/);
    expect(e).toMatch(/line 8: strike .* got "abc"/);
    expect(e).toMatch(/line 9: duplicate id "A" \(first on line 2\)/);
    expect(e).toMatch(/line 10: quantity_tokens .* got "-5"/);
    expect(e).toMatch(/line 10: strike .* got "-1"/);
    expect(e).toMatch(/9 problems; nothing written/);
  });

  it("rejects bad curve and spot rows (bad month, bad date, bad price, duplicates)", async () => {
    const f = good();
    f.curves = write("bad-curves.csv", `${CURVES}gpt,2026-13,12\ngpt,2026-11,13\n`);
    f.spot = write("bad-spot.csv", `${SPOT}gpt,2026-02-29,9\ngpt,2026-11-05,14\ngpt,2026-11-06,x\n`);
    const r = await run(args(f, path.join(dir, "never2.csv")));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad-curves\.csv line 4: month must be YYYY-MM, got "2026-13"/);
    expect(r.stderr).toMatch(/bad-curves\.csv line 5: duplicate forward for gpt 2026-11 \(first on line 2\)/);
    expect(r.stderr).toMatch(/bad-spot\.csv line 8: date is not a valid date YYYY-MM-DD: "2026-02-29"/);
    expect(r.stderr).toMatch(/bad-spot\.csv line 9: duplicate spot for gpt on 2026-11-05 \(first on line 6\)/);
    expect(r.stderr).toMatch(/bad-spot\.csv line 10: price must be a non-negative decimal, got "x"/);
  });

  it("missing market data names the class and the month or day, exit 2", async () => {
    const f = good();
    f.contracts = write(
      "gaps.csv",
      `id,model_class,quantity_tokens,window_start,window_end,strike
LATE,gpt,1000,2027-01-01,2027-01-31,10
EARLY,gpt,1000,2026-09-01,2026-09-30,10
OTHER,claude,1000,2026-12-01,2026-12-31,10
`,
    );
    const out = path.join(dir, "never3.csv");
    const r = await run(args(f, out));
    expect(r.code).toBe(2);
    expect(existsSync(out)).toBe(false);
    expect(r.stderr).toMatch(/gaps\.csv line 2: contract LATE: no forward for gpt 2027-01/);
    expect(r.stderr).toMatch(/gaps\.csv line 3: contract EARLY: no spot for gpt on or before 2026-09-01/);
    expect(r.stderr).toMatch(/gaps\.csv line 4: contract OTHER: no forward for claude 2026-12/);
  });

  it("rejects bad arguments and unreadable files with exit 2", async () => {
    const f = good();
    const out = path.join(dir, "never4.csv");
    const missingOut = await run(["--contracts", f.contracts, "--curves", f.curves, "--spot", f.spot, "--as-of", "2026-11-10"]);
    expect([missingOut.code, missingOut.stderr]).toEqual([2, expect.stringMatching(/--out is required\nusage: npm run value/)]);
    const badDay = await run(args(f, out).map((a) => (a === "2026-11-10" ? "2026-02-30" : a)));
    expect([badDay.code, badDay.stderr]).toEqual([2, expect.stringMatching(/--as-of must be a date YYYY-MM-DD, got "2026-02-30"/)]);
    const badRate = await run(args(f, out, ["--rate", "4%"]));
    expect([badRate.code, badRate.stderr]).toEqual([2, expect.stringMatching(/--rate must be a decimal/)]);
    const noFile = await run(args({ ...f, spot: path.join(dir, "nope.csv") }, out));
    expect([noFile.code, noFile.stderr]).toEqual([2, expect.stringMatching(/cannot read .*nope\.csv/)]);
    const noColumn = await run(args({ ...f, curves: write("nocol.csv", "model_class,month\ngpt,2026-11\n") }, out));
    expect([noColumn.code, noColumn.stderr]).toEqual([2, expect.stringMatching(/nocol\.csv line 1: missing column price/)]);
    expect(existsSync(out)).toBe(false);
  });
});
