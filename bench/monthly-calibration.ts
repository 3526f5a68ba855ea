/**
 * npm run bench:monthly-calibration — are the monthly demand bands hedging sizes with calibrated?
 *
 * Rolling origins on every demo team × model daily series (input + output tokens): cut on the first day of a
 * month (the last ORIGINS month starts before the end of the data), forecast the following month daily with
 * the app's engine, turn the daily quantiles into the month total's P10/P90 three ways and count how often
 * the actual month total fell inside:
 *   - ours: lib/domain/demand.ts (AR(1) day-to-day error correlation estimated from the training history),
 *   - summed: the sum of daily P10s and P90s (what the forecast page showed before),
 *   - independent: days treated as independent (ρ = 0).
 * A calibrated 80% band holds the actual about 80% of the time. Last line:
 *   monthly-calibration series=N months=M inside_ours=X% inside_summed=Y% inside_independent=Z% target=80%
 */
import { demoUsageCsv } from "@/lib/demo/usage";
import { trimLeadingZeros } from "@/lib/domain/forecast";
import { errorAutocorrelation, monthlyDemand } from "@/lib/domain/demand";
import { forecastSeries } from "@/lib/forecast/engine";

const ORIGINS = Number(process.env.ORIGINS ?? 3);
const END = new Date("2026-11-23T00:00:00Z");
const series = new Map<string, Map<string, number>>();
let header = true;
for (const chunk of demoUsageCsv(END)) {
  for (const line of chunk.split("\n")) {
    if (!line) continue;
    if (header) {
      header = false;
      continue;
    }
    const [date, team, , model, input, output] = line.split(",");
    const k = `${team}/${model}`;
    const m = series.get(k) ?? new Map<string, number>();
    m.set(date, (m.get(date) ?? 0) + Number(input) + Number(output));
    series.set(k, m);
  }
}
const dates = [...new Set([...series.values()].flatMap((m) => [...m.keys()]))].sort();
const monthStarts = dates.map((d, i) => ({ d, i })).filter(({ d }) => d.endsWith("-01"));
// origins whose following month is complete in the data
const usable = monthStarts.filter(({ d }) => {
  const [y, m] = d.split("-").map(Number);
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10) <= dates[dates.length - 1];
});
const origins = usable.slice(-ORIGINS);

let n = 0;
const inside = { ours: 0, summed: 0, independent: 0 };
let seriesCount = 0;
for (const [, m] of series) {
  const full = dates.map((d) => m.get(d) ?? 0);
  let counted = false;
  for (const { d, i } of origins) {
    const { y: train } = trimLeadingZeros(dates.slice(0, i).map((x) => new Date(x)), full.slice(0, i));
    if (train.length < 56 || train.slice(-28).every((v) => v === 0)) continue;
    const [yy, mm] = d.split("-").map(Number);
    const days = new Date(Date.UTC(yy, mm, 0)).getUTCDate();
    const actual = full.slice(i, i + days).reduce((s, v) => s + v, 0);
    if (actual === 0) continue;
    const fc = forecastSeries(train, days, [7], { nonNegative: true });
    const daily = fc.p50.map((_, k) => ({ date: new Date(Date.UTC(yy, mm - 1, 1 + k)), p10: fc.p10[k], p50: fc.p50[k], p90: fc.p90[k] }));
    const rho = errorAutocorrelation(train);

    const [ours] = monthlyDemand(daily, rho);
    const [indep] = monthlyDemand(daily, 0);
    const summed = { p10: fc.p10.reduce((s, v) => s + v, 0), p90: fc.p90.reduce((s, v) => s + v, 0) };
    const hit = (b: { p10: number; p90: number }) => (actual >= b.p10 && actual <= b.p90 ? 1 : 0);
    inside.ours += hit(ours);
    inside.summed += hit(summed);
    inside.independent += hit(indep);
    n++;
    counted = true;
  }
  if (counted) seriesCount++;
}
const pct = (x: number) => ((100 * x) / Math.max(1, n)).toFixed(1);
console.log(`origins: ${origins.map((o) => o.d).join(", ")}; series × months scored: ${n}`);
console.log(`monthly-calibration series=${seriesCount} months=${n} inside_ours=${pct(inside.ours)}% inside_summed=${pct(inside.summed)}% inside_independent=${pct(inside.independent)}% target=80%`);
