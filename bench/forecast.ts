/**
 * npm run bench:forecast — 1,000 daily series of one year, horizon 90 days, through the app's engine
 * (per-series model selection), on worker threads (one per core). Baseline in the same run: the same
 * series with a single plain MSTL-ETS fit each. Last line: forecast series=… seconds=… per_series_ms=…
 */
import os from "node:os";
import { Worker } from "node:worker_threads";
import { rng } from "@/lib/domain/rng";

const N = Number(process.env.BENCH_SERIES ?? 1000);
const H = 90;
const r = rng(99);
const series = Array.from({ length: N }, () => {
  const level = 50 + 1000 * r.next();
  const trend = (r.next() - 0.3) * 2;
  const season = Array.from({ length: 7 }, () => 0.6 + 0.8 * r.next());
  const noise = 0.05 + 0.2 * r.next();
  return Array.from({ length: 365 }, (_, i) => Math.max(0, (level + trend * i) * season[i % 7] * (1 + noise * r.normal())));
});

async function run(mode: "auto" | "mstl") {
  const threads = Math.max(1, os.availableParallelism());
  const chunk = Math.ceil(N / threads);
  const t0 = performance.now();
  const results = await Promise.all(
    Array.from({ length: threads }, (_, k) =>
      new Promise<Record<string, number>>((resolve, reject) => {
        const w = new Worker(new URL("./forecast-worker.mjs", import.meta.url), { workerData: { series: series.slice(k * chunk, (k + 1) * chunk), horizon: H, mode } });
        w.once("message", resolve);
        w.once("error", reject);
      }),
    ),
  );
  const seconds = (performance.now() - t0) / 1000;
  const methods: Record<string, number> = {};
  for (const m of results) for (const [k, v] of Object.entries(m)) methods[k] = (methods[k] ?? 0) + v;
  return { seconds, methods, threads };
}

const base = await run("mstl");
console.log(`baseline plain MSTL-ETS: seconds=${base.seconds.toFixed(2)} threads=${base.threads}`);
const auto = await run("auto");
console.log(`selected models: ${JSON.stringify(auto.methods)}`);
console.log(`ratio_vs_plain_mstl=${(auto.seconds / base.seconds).toFixed(2)} target_seconds=5`);
console.log(`forecast series=${N} seconds=${auto.seconds.toFixed(2)} per_series_ms=${((auto.seconds * 1000) / N).toFixed(2)}`);
