/**
 * npm run bench:forecast-accuracy — MASE on held-out tails: the app's engine (per-series model selection)
 * against seasonal naive and against plain single-model MSTL-ETS, on the demo organization's usage series
 * (last 90 days held out) and on classic public series. Prints per-series MASE and geometric means.
 */
import { demoUsageCsv } from "@/lib/demo/usage";
import { geometricMean, mase, seasonalNaive, trimLeadingZeros } from "@/lib/domain/forecast";
import { forecastSeries } from "@/lib/forecast/engine";
import { CLASSIC } from "./classic-series";

type Case = { name: string; y: number[]; period: number; holdout: number };
const cases: Case[] = [];

// demo usage: one daily input-token series per team × model
const series = new Map<string, Map<string, number>>();
let header = true;
for (const chunk of demoUsageCsv(new Date("2026-11-23T00:00:00Z"))) {
  for (const line of chunk.split("\n")) {
    if (!line) continue;
    if (header) { header = false; continue; }
    const [date, team, , model, input] = line.split(",");
    const k = `${team}/${model}`;
    const m = series.get(k) ?? new Map<string, number>();
    m.set(date, Number(input));
    series.set(k, m);
  }
}
const allDates = [...new Set([...series.values()].flatMap((m) => [...m.keys()]))].sort();
for (const [k, m] of series) {
  const full = allDates.map((d) => m.get(d) ?? 0);
  const { y } = trimLeadingZeros(allDates.map((d) => new Date(d)), full);
  if (y.slice(-90).every((v) => v === 0)) continue; // churned before the holdout: nothing to score
  cases.push({ name: `demo:${k}`, y, period: 7, holdout: 90 });
}
for (const c of CLASSIC) cases.push({ name: `classic:${c.name}`, y: c.values, period: c.period, holdout: c.holdout });

const rows: { name: string; ours: number; snaive: number; mstl: number; method: string }[] = [];
for (const c of cases) {
  const train = c.y.slice(0, c.y.length - c.holdout);
  const test = c.y.slice(c.y.length - c.holdout);
  const ours = forecastSeries(train, c.holdout, [c.period]);
  const plain = forecastSeries(train, c.holdout, [c.period], { candidates: ["mstl-ets"], windowSeasons: 0 });
  const sn = seasonalNaive(train, c.period, c.holdout);
  rows.push({ name: c.name, ours: mase(test, ours.p50, train, c.period), snaive: mase(test, sn.p50, train, c.period), mstl: mase(test, plain.p50, train, c.period), method: ours.method });
}
const w = Math.max(...rows.map((r) => r.name.length));
console.log(`${"series".padEnd(w)}  ours    snaive  mstl    chosen`);
for (const r of rows) console.log(`${r.name.padEnd(w)}  ${r.ours.toFixed(3).padEnd(7)} ${r.snaive.toFixed(3).padEnd(7)} ${r.mstl.toFixed(3).padEnd(7)} ${r.method}`);
const gm = (k: "ours" | "snaive" | "mstl", f: (r: (typeof rows)[number]) => boolean = () => true) => geometricMean(rows.filter(f).map((r) => r[k]));
for (const [label, f] of [["demo", (r: (typeof rows)[number]) => r.name.startsWith("demo")], ["classic", (r: (typeof rows)[number]) => r.name.startsWith("classic")]] as const)
  console.log(`${label}: geomean MASE ours=${gm("ours", f).toFixed(3)} snaive=${gm("snaive", f).toFixed(3)} mstl=${gm("mstl", f).toFixed(3)}`);
console.log(`forecast-accuracy series=${rows.length} geomean_mase=${gm("ours").toFixed(3)} snaive=${gm("snaive").toFixed(3)} mstl=${gm("mstl").toFixed(3)} ratio_vs_snaive=${(gm("ours") / gm("snaive")).toFixed(3)} ratio_vs_mstl=${(gm("ours") / gm("mstl")).toFixed(3)}`);
