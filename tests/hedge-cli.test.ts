import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

/** The analyst CLI as a child process (npx tsx scripts/hedge-cli.ts) on temp files. */
const dir = mkdtempSync(path.join(tmpdir(), "th-hedge-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fileNo = 0;
const file = (name: string, text: string) => {
  const p = path.join(dir, `${fileNo++}-${name}`);
  writeFileSync(p, text);
  return p;
};
const csv = (rows: (string | number)[][]) => rows.map((r) => r.join(",")).join("\n") + "\n";

function run(args: string[]) {
  const r = spawnSync("npx", ["tsx", "scripts/hedge-cli.ts", ...args], { cwd: process.cwd(), encoding: "utf8", env: { ...process.env, NODE_NO_WARNINGS: "1" } });
  return { code: r.status, stderr: r.stderr, stdout: r.stdout };
}
const readCsv = (p: string) => {
  const [header, ...rows] = readFileSync(p, "utf8").trim().split("\n");
  const cols = header.split(",");
  return { header, rows: rows.map((l) => Object.fromEntries(l.split(",").map((v, i) => [cols[i], v]))) };
};

const HEADER = "month,quantity_tokens,strike,coverage_pct_of_p50,expected_cost_unhedged,expected_cost_hedged,p95_cost_unhedged,p95_cost_hedged,over_hedge_prob";
const POLICY = { settlement: "FINANCIAL", minCoveragePct: 70, maxCoveragePct: 90, maxOverHedgeProb: 0.1, lotTokens: 1_000_000_000 };
const policyFile = (p: object = POLICY) => file("policy.json", JSON.stringify(p));

// fixed demand of 10B tokens a month; forward 2, ask 2.2; no volatility
const fixedDemand = file("demand.csv", csv([["month", "p10", "p50", "p90"], ...["2027-01", "2027-02", "2027-03"].map((m) => [m, 10e9, 10e9, 10e9])]));
const flatPrices = file("prices.csv", csv([["month", "forward", "bid", "ask", "vol"], ...["2027-01", "2027-02", "2027-03"].map((m) => [m, 2, 1.9, 2.2, 0])]));
// uncertain demand and moving prices
const months = Array.from({ length: 6 }, (_, i) => `2027-${String(i + 1).padStart(2, "0")}`);
const randDemand = file("demand.csv", csv([["month", "p10", "p50", "p90"], ...months.map((m, i) => [m, (8 + i) * 1e9, (10 + i) * 1e9, (13 + i) * 1e9])]));
const randPrices = file("prices.csv", csv([["month", "forward", "vol"], ...months.map((m, i) => [m, (2.5 - 0.05 * i).toFixed(2), 0.6])]));

describe("hedge CLI", () => {
  it("closed form without randomness: the band minimum when the ask is above a fixed spot; costs by hand", () => {
    const out = path.join(dir, "rec-fixed.csv");
    const r = run(["--demand", fixedDemand, "--prices", flatPrices, "--policy", policyFile(), "--out", out, "--paths", "500", "--step-cut-prob", "0"]);
    expect(r.code, r.stderr).toBe(0);
    const { header, rows } = readCsv(out);
    expect(header).toBe(HEADER);
    // Q = 7B (70% of P50; more cover only adds (K − F)·Q): unhedged D·F = 20,000; hedged 7B·2.2 + 3B·2 = 21,400
    expect(rows).toEqual(
      ["2027-01", "2027-02", "2027-03"].map((m) => ({
        month: m,
        quantity_tokens: "7000000000",
        strike: "2.200000",
        coverage_pct_of_p50: "70.00",
        expected_cost_unhedged: "20000.000000",
        expected_cost_hedged: "21400.000000",
        p95_cost_unhedged: "20000.000000",
        p95_cost_hedged: "21400.000000",
        over_hedge_prob: "0.0000",
      })),
    );
    expect(r.stderr).toMatch(/2027-01 7000000000 tokens: 70% of P50: more cover raises P95 cost/);
  });

  it("evaluates given quantities: SERVICE_CREDITS above demand forfeits the rest (Q·K)", () => {
    const out = path.join(dir, "rec-q.csv");
    const q = file("q.csv", csv([["month", "quantity_tokens"], ["2027-01", 12e9], ["2027-02", 10e9], ["2027-03", 0]]));
    const r = run(["--demand", fixedDemand, "--prices", flatPrices, "--policy", policyFile({ ...POLICY, settlement: "SERVICE_CREDITS" }), "--out", out, "--paths", "300", "--step-cut-prob", "0", "--quantities", q]);
    expect(r.code, r.stderr).toBe(0);
    const { rows } = readCsv(out);
    expect(rows.map((x) => [x.quantity_tokens, x.coverage_pct_of_p50, x.expected_cost_hedged, x.p95_cost_hedged, x.over_hedge_prob])).toEqual([
      ["12000000000", "120.00", "26400.000000", "26400.000000", "1.0000"], // 12B × 2.2
      ["10000000000", "100.00", "22000.000000", "22000.000000", "0.0000"],
      ["0", "0.00", "20000.000000", "20000.000000", "0.0000"],
    ]);
  });

  it("recommends lot multiples inside the band within the over-hedge limit, reproducibly per seed", () => {
    const pol = policyFile();
    const outs = ["a", "b", "c"].map((s) => path.join(dir, `rec-${s}.csv`));
    const args = (out: string, seed: string) => ["--demand", randDemand, "--prices", randPrices, "--policy", pol, "--out", out, "--paths", "4000", "--seed", seed];
    for (const [i, seed] of ["5", "5", "6"].entries()) {
      const r = run(args(outs[i], seed));
      expect(r.code, r.stderr).toBe(0);
    }
    const a = readFileSync(outs[0], "utf8");
    expect(readFileSync(outs[1], "utf8")).toBe(a);
    expect(readFileSync(outs[2], "utf8")).not.toBe(a);
    const { rows } = readCsv(outs[0]);
    expect(rows.map((x) => x.month)).toEqual(months);
    for (const [i, x] of rows.entries()) {
      const q = Number(x.quantity_tokens);
      const p50 = (10 + i) * 1e9;
      expect(q % 1e9).toBe(0);
      expect(q).toBeGreaterThanOrEqual(0.7 * p50);
      expect(q).toBeLessThanOrEqual(0.9 * p50);
      expect(Number(x.over_hedge_prob)).toBeLessThanOrEqual(0.1);
      expect(x.coverage_pct_of_p50).toBe(((q / p50) * 100).toFixed(2));
      expect(x.strike).toBe(Number((2.5 - 0.05 * i).toFixed(2)).toFixed(6)); // no ask: the forward
      for (const c of ["expected_cost_unhedged", "expected_cost_hedged", "p95_cost_unhedged", "p95_cost_hedged"]) expect(x[c]).toMatch(/^\d+\.\d{6}$/);
      expect(x.over_hedge_prob).toMatch(/^\d\.\d{4}$/);
      // unhedged expected ≈ E[D]·F (independent demand and price by default): loose MC bound
      expect(Number(x.expected_cost_unhedged) / ((p50 / 1e6) * (2.5 - 0.05 * i))).toBeGreaterThan(0.95);
      expect(Number(x.expected_cost_unhedged) / ((p50 / 1e6) * (2.5 - 0.05 * i))).toBeLessThan(1.12);
    }
  });

  const pol = policyFile();
  {
    const base = (over: Partial<Record<"demand" | "prices" | "policy", string>>, extra: string[] = []) => [
      "--demand",
      over.demand ?? fixedDemand,
      "--prices",
      over.prices ?? flatPrices,
      "--policy",
      over.policy ?? pol,
      "--out",
      path.join(dir, "never.csv"),
      "--paths",
      "200",
      ...extra,
    ];
    const cases: [string[], RegExp][] = [
      [base({ demand: file("d.csv", "month,p10,p50,p90\n2027-01,1,2,3\n2027-02,5,4,6\n2027-03,1,2,3\n") }), /d\.csv line 3: need p10 ≤ p50 ≤ p90/],
      [base({ demand: file("d.csv", "month,p10,p50,p90\n2027-01,1,2,3\n2027-02,-1,2,3\n2027-03,1,2,3\n") }), /d\.csv line 3: p10 must be a non-negative number/],
      [base({ demand: file("d.csv", "month,p10,p50,p90\n2027-01,1,2,3\n2027-02,1,x,3\n") }), /d\.csv line 3: p50 must be/],
      [base({ demand: file("d.csv", "month,p10,p50\n2027-01,1,2\n") }), /d\.csv: missing column p90/],
      [base({ demand: file("d.csv", "month,p10,p50,p90\n2027-13,1,2,3\n") }), /d\.csv line 2: month must be YYYY-MM/],
      [base({ demand: file("d.csv", "month,p10,p50,p90\n2027-01,1,2,3\n2027-01,1,2,3\n") }), /d\.csv line 3: month 2027-01 repeats line 2/],
      [
        base({ demand: file("d.csv", "month,p10,p50,p90\n2027-01,1,2,3\n2027-02,1,2,3\n2027-04,1,2,3\n2027-05,1,2,3\n") }),
        /months must match: .*prices\.csv has no row for months 2027-04, 2027-05; .*d\.csv has no row for month 2027-03/,
      ],
      [base({ prices: file("p.csv", "month,forward,vol\n2027-01,2,0.5\n2027-02,0,0.5\n2027-03,2,0.5\n") }), /p\.csv line 3: forward must be a positive price/],
      [base({ prices: file("p.csv", "month,forward,vol\n2027-01,2,0.5\n2027-02,2,-0.1\n2027-03,2,0.5\n") }), /p\.csv line 3: vol must be a non-negative/],
      [base({ prices: file("p.csv", "month,forward,bid,ask,vol\n2027-01,2,2.1,2.0,0.5\n2027-02,2,,,0.5\n2027-03,2,,,0.5\n") }), /p\.csv line 2: bid 2\.1 is above ask 2\.0/],
      [base({ policy: file("pol.json", JSON.stringify({ ...POLICY, minCoveragePct: 95 })) }), /pol\.json: maxCoveragePct must be a percentage ≥ minCoveragePct/],
      [base({ policy: file("pol.json", JSON.stringify({ ...POLICY, maxOverHedgeProb: 10 })) }), /pol\.json: maxOverHedgeProb must be a probability/],
      [base({ policy: file("pol.json", JSON.stringify({ ...POLICY, lotTokens: 1.5 })) }), /pol\.json: lotTokens must be a positive whole number/],
      [base({ policy: file("pol.json", "{not json") }), /pol\.json: not valid JSON/],
      [base({}, ["--quantities", file("q.csv", "month,quantity_tokens\n2027-01,1000000000\n2027-02,1.5\n2027-03,0\n")]), /q\.csv line 3: quantity_tokens must be a non-negative whole number/],
      [base({}, ["--quantities", file("q.csv", "month,quantity_tokens\n2027-01,1000000000\n")]), /q\.csv has no row for months 2027-02, 2027-03/],
      [base({}, ["--paths", "0"]), /--paths must be a positive whole number/],
      [base({}, ["--seed", "x"]), /--seed must be a whole number/],
      [base({ demand: path.join(dir, "missing.csv") }), /cannot read .*missing\.csv/],
      [["--prices", flatPrices, "--policy", pol, "--out", "x.csv"], /--demand is required/],
      [[...base({}), "--colour", "red"], /unknown option --colour/],
    ];
    it.each(cases)("rejects bad input with exit code 2 and a message naming the file, line or months (%#)", (args, msg) => {
      const r = run(args);
      expect(r.code, `${msg}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(msg);
      expect(r.stderr).toMatch(/usage: npm run hedge/);
    });
  }
});
