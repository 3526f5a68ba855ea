/**
 * npm run bench:hedge — 4 model classes × 12 delivery months × 10,000 paths, one core: simulate, recommend
 * (P95-minimising search per class × month) and evaluate 4 strategies (unhedged, policy minimum, recommended,
 * custom) on the same paths. Target ≤ 1 s. Context lines first; the last line is
 *   hedge classes=4 months=12 paths=10000 seconds=S
 * where S is the wall time of simulation + recommendation + evaluation of the 4 strategies (recommendPortfolio, which
 * does all three), the median of three runs after a first run that is reported separately (it includes JIT warm-up).
 * All on the main thread, so one core.
 */
import { type ClassInput, evaluate, type HedgePolicyInput, recommendOnPaths, recommendPortfolio, simulateClass } from "@/lib/domain/hedge";
import { rng } from "@/lib/domain/rng";

const CLASSES = 4;
const MONTHS = 12;
const PATHS = Number(process.env.BENCH_PATHS ?? 10_000);

const r = rng(2026);
const classes: ClassInput[] = Array.from({ length: CLASSES }, (_, c) => {
  const level = 40e9 + 260e9 * r.next(); // 40B–300B tokens a month
  const growth = 0.01 + 0.04 * r.next();
  const price = [0.4, 2.5, 10, 30][c];
  const contango = -0.02 + 0.03 * r.next();
  return {
    classKey: ["small", "general", "frontier", "reasoning"][c],
    annualVol: 0.3 + 0.5 * r.next(),
    months: Array.from({ length: MONTHS }, (_, m) => {
      const p50 = level * Math.pow(1 + growth, m);
      const spread = 0.1 + 0.02 * m;
      const fwd = price * Math.exp(contango * m);
      return {
        month: `2027-${String(m + 1).padStart(2, "0")}`,
        demandP10: p50 * (1 - spread),
        demandP50: p50,
        demandP90: p50 * (1 + 1.4 * spread),
        forward: fwd.toFixed(6),
        bid: (fwd * 0.98).toFixed(6),
        ask: (fwd * 1.02).toFixed(6),
        flags: m >= 9 ? ["thin"] : [],
      };
    }),
  };
});
const policy: HedgePolicyInput = {
  settlement: "FINANCIAL",
  minCoveragePct: 50,
  maxCoveragePct: 95,
  maxOverHedgeProb: 0.1,
  lotTokens: 1_000_000_000,
  bands: [
    { fromMonth: 1, toMonth: 3, minCoveragePct: 70, maxCoveragePct: 95 },
    { fromMonth: 4, toMonth: 6, minCoveragePct: 50, maxCoveragePct: 85 },
    { fromMonth: 7, toMonth: 12, minCoveragePct: 30, maxCoveragePct: 75 },
  ],
};
const custom = Object.fromEntries(classes.map((c) => [c.classKey, c.months.map((m) => Math.round((m.demandP50 * 0.6) / 1e9) * 1e9)]));
const params = { paths: PATHS, seed: 7 };

const run = () => {
  const t = performance.now();
  const r = recommendPortfolio(classes, policy, params, custom);
  return { r, seconds: (performance.now() - t) / 1000 };
};

// The first run also pays for JIT compilation of the hot loops; it is reported, then the same work is timed
// three more times and the median is the result (the app's worker runs recommendations in a warm process).
const cold = run();
const timed = [run(), run(), run()];
const seconds = timed.map((x) => x.seconds).sort((a, b) => a - b)[1];
if (JSON.stringify(timed[0].r) !== JSON.stringify(cold.r)) throw new Error("runs with the same seed differ");

// phases (warm)
const tp = performance.now();
const paths = classes.map((c) => simulateClass(c, params));
const tSim = performance.now() - tp;
const tr = performance.now();
const recs = classes.map((c, i) => recommendOnPaths(c, paths[i], policy, custom[c.classKey]));
const tRec = performance.now() - tr;
const te = performance.now();
for (const [i, c] of classes.entries()) {
  const q = recs[i].months.map((m) => m.quantityTokens);
  const qMin = recs[i].months.map((m) => m.strategies.policyMinimum.quantityTokens);
  for (const quantities of [q.map(() => 0), qMin, q, custom[c.classKey]]) evaluate(paths[i], quantities, null, policy.settlement);
}
const tEval = performance.now() - te;

const bindings: Record<string, number> = {};
for (const c of recs) for (const m of c.months) bindings[m.binding] = (bindings[m.binding] ?? 0) + 1;
const tot = cold.r.total;
const ms = (x: number) => `${x.toFixed(0)} ms`;
console.log(`first (cold) run: ${cold.seconds.toFixed(3)} s, includes JIT warm-up; timed runs: ${timed.map((x) => x.seconds.toFixed(3)).join(", ")} s`);
console.log(`phases (warm): simulate ${ms(tSim)}; recommend incl. evaluating its strategies ${ms(tRec)}; of which evaluating 4 strategies alone ${ms(tEval)}`);
console.log(`choices per class × month: ${JSON.stringify(bindings)}`);
console.log(
  `portfolio 12-month cost (USD): unhedged expected ${tot.unhedged.expectedUsd.toFixed(0)} p95 ${tot.unhedged.p95Usd.toFixed(0)}; ` +
    `recommended expected ${tot.recommended.expectedUsd.toFixed(0)} p95 ${tot.recommended.p95Usd.toFixed(0)}; ` +
    `policy minimum p95 ${tot.policyMinimum.p95Usd.toFixed(0)}; custom p95 ${tot.custom?.p95Usd.toFixed(0)}`,
);
console.log(`target_seconds=1 (median of 3 runs of simulation + recommendation + evaluation of 4 strategies, one thread)`);
console.log(`hedge classes=${CLASSES} months=${MONTHS} paths=${PATHS} seconds=${seconds.toFixed(3)}`);
