/**
 * npm run bench:forecast-accuracy — held-out accuracy of the app's forecast engine against R's forecast
 * package in the same run, on public series of every frequency (bench/forecast-accuracy.R exports them from
 * R's datasets and forecast packages and fits R's ets()/stlm() on the same training windows) plus a few of
 * the demo organization's daily usage series. Our side goes through the CLI's path: timestamps → inferred
 * spacing → default seasonal periods → engine. Installs Debian's r-cran-forecast when R or the package is
 * missing. Per series: MASE of ours, R and seasonal naive (same scale), and P10–P90 coverage.
 * Last line: accuracy series=N mase_ratio_vs_R=G beats_snaive=K/N
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Papa from "papaparse";
import { demoUsageCsv } from "@/lib/demo/usage";
import { coverage, geometricMean, mase, seasonalNaive, trimLeadingZeros } from "@/lib/domain/forecast";
import { forecastTimestamped } from "@/lib/forecast/series";

function ensureR() {
  const ok = () => spawnSync("Rscript", ["-e", "suppressMessages(library(forecast))"], { stdio: "ignore" }).status === 0;
  if (ok()) return;
  console.error("R forecast package missing: installing Debian's r-cran-forecast");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const install = () => spawnSync("apt-get", ["install", "-y", "--no-install-recommends", "r-base-core", "r-cran-forecast"], { stdio: "inherit", env }).status === 0;
  if (!install()) {
    spawnSync("apt-get", ["update"], { stdio: "inherit", env });
    if (!install() || !ok()) throw new Error("could not install r-cran-forecast (apt-get install r-cran-forecast)");
  }
}

// a few of the demo organization's daily usage series (team × model input tokens), last 28 days held out
function demoExtra(): string {
  const series = new Map<string, Map<string, number>>();
  let header = true;
  for (const chunk of demoUsageCsv(new Date("2026-11-23T00:00:00Z"))) {
    for (const line of chunk.split("\n")) {
      if (!line) continue;
      if (header) { header = false; continue; }
      const [date, team, , model, input] = line.split(",");
      const k = `demo:${team}/${model}`;
      const m = series.get(k) ?? new Map<string, number>();
      m.set(date, (m.get(date) ?? 0) + Number(input));
      series.set(k, m);
    }
  }
  const dates = [...new Set([...series.values()].flatMap((m) => [...m.keys()]))].sort();
  const rows = ["series_id,timestamp,value,horizon,periods"];
  let kept = 0;
  for (const [k, m] of [...series].sort((a, b) => a[0].localeCompare(b[0]))) {
    const full = dates.map((d) => m.get(d) ?? 0);
    const { t, y } = trimLeadingZeros(dates.map((d) => new Date(`${d}T00:00:00Z`)), full);
    if (y.length < 120 || y.slice(-28).some((v) => v === 0)) continue;
    if (kept++ % 3 !== 0) continue; // every third eligible series: enough to represent the app's data
    t.forEach((d, i) => rows.push(`${k},${d.toISOString().slice(0, 10)},${y[i]},28,7`));
  }
  return rows.join("\n") + "\n";
}

ensureR();
const dir = mkdtempSync(path.join(os.tmpdir(), "forecast-accuracy-"));
writeFileSync(path.join(dir, "extra.csv"), demoExtra());
const t0 = performance.now();
const r = spawnSync("Rscript", [path.join(import.meta.dirname, "forecast-accuracy.R"), dir, path.join(dir, "extra.csv")], { stdio: ["ignore", "inherit", "inherit"] });
if (r.status !== 0) throw new Error(`Rscript failed with status ${r.status}`);
const rSeconds = (performance.now() - t0) / 1000;
const csv = <T,>(f: string) => Papa.parse<T>(readFileSync(path.join(dir, f), "utf8"), { header: true, skipEmptyLines: true, dynamicTyping: true }).data;
const series = csv<{ series_id: string; timestamp: string; value: number }>("series.csv");
const meta = csv<{ series_id: string; horizon: number; periods: string | number | null; r_method: string; source: string }>("meta.csv");
const rfc = csv<{ series_id: string; step: number; mean: number; lo80: number; hi80: number }>("r_forecasts.csv");
rmSync(dir, { recursive: true, force: true });

type Row = { id: string; freq: string; n: number; h: number; ours: number; r: number; snaive: number; cov: number; rCov: number; method: string; rMethod: string; failed: string | null };
const rows: Row[] = [];
const t1 = performance.now();
for (const m of meta) {
  const pts = series.filter((s) => s.series_id === m.series_id).map((s) => ({ t: new Date(/^\d{4}-\d{2}-\d{2}$/.test(String(s.timestamp)) ? `${s.timestamp}T00:00:00Z` : String(s.timestamp)), v: Number(s.value) }));
  const h = Number(m.horizon);
  const train = pts.slice(0, pts.length - h);
  const test = pts.slice(pts.length - h).map((p) => p.v);
  const y = train.map((p) => p.v);
  // the reference's seasonal periods set the MASE scale and the seasonal-naive baseline for all three
  const periods = String(m.periods ?? "").split(" ").filter(Boolean).map(Number).filter((p) => 2 * p <= y.length);
  const scaleM = periods.length ? Math.max(...periods) : 1;
  const sn = seasonalNaive(y, scaleM, h);
  const rf = rfc.filter((f) => f.series_id === m.series_id).sort((a, b) => a.step - b.step);
  const row: Row = { id: m.series_id, freq: "", n: y.length, h, ours: NaN, r: mase(test, rf.map((f) => f.mean), y, scaleM), snaive: mase(test, sn.p50, y, scaleM), cov: NaN, rCov: coverage(test, rf.map((f) => f.lo80), rf.map((f) => f.hi80)), method: "", rMethod: m.r_method, failed: null };
  try {
    const f = forecastTimestamped(m.series_id, train, h);
    row.freq = f.freq.name;
    row.ours = mase(test, f.forecast.p50, y, scaleM);
    row.cov = coverage(test, f.forecast.p10, f.forecast.p90);
    row.method = f.forecast.method;
  } catch (e) {
    // a failure scores as seasonal naive, and is listed
    row.failed = (e as Error).message;
    row.ours = row.snaive;
    row.cov = coverage(test, sn.p10, sn.p90);
  }
  rows.push(row);
}
const oursSeconds = (performance.now() - t1) / 1000;

const w = Math.max(...rows.map((x) => x.id.length));
console.log(`${"series".padEnd(w)}  ${"freq".padEnd(15)} ${"n".padStart(5)} ${"h".padStart(4)}  ours    R       snaive  ours/R  cov   Rcov  ours: method | R: method`);
for (const x of rows)
  console.log(`${x.id.padEnd(w)}  ${x.freq.padEnd(15)} ${String(x.n).padStart(5)} ${String(x.h).padStart(4)}  ${x.ours.toFixed(3).padEnd(7)} ${x.r.toFixed(3).padEnd(7)} ${x.snaive.toFixed(3).padEnd(7)} ${(x.ours / x.r).toFixed(2).padEnd(7)} ${(100 * x.cov).toFixed(0).padStart(3)}%  ${(100 * x.rCov).toFixed(0).padStart(3)}%  ${x.failed ? `FAILED: ${x.failed}` : x.method} | ${x.rMethod}`);
const ratio = (xs: Row[]) => geometricMean(xs.map((x) => (x.r === 0 && x.ours === 0 ? 1 : x.ours / x.r)));
const groups = new Map<string, Row[]>();
for (const x of rows) groups.set(x.freq || "failed", [...(groups.get(x.freq || "failed") ?? []), x]);
for (const [g, xs] of groups) console.log(`  ${g}: series=${xs.length} mase_ratio_vs_R=${ratio(xs).toFixed(3)} geomean ours=${geometricMean(xs.map((x) => x.ours)).toFixed(3)} R=${geometricMean(xs.map((x) => x.r)).toFixed(3)} snaive=${geometricMean(xs.map((x) => x.snaive)).toFixed(3)}`);
const avg = (xs: number[]) => xs.reduce((a, v) => a + v, 0) / xs.length;
const N = rows.length;
const beats = rows.filter((x) => x.ours < x.snaive).length;
const rBeats = rows.filter((x) => x.r < x.snaive).length;
const pub = rows.filter((x) => !x.id.startsWith("demo:"));
console.log(`public series only: series=${pub.length} mase_ratio_vs_R=${ratio(pub).toFixed(3)}`);
console.log(`geomean MASE ours=${geometricMean(rows.map((x) => x.ours)).toFixed(3)} R=${geometricMean(rows.map((x) => x.r)).toFixed(3)} snaive=${geometricMean(rows.map((x) => x.snaive)).toFixed(3)}; seconds ours=${oursSeconds.toFixed(1)} R=${rSeconds.toFixed(1)}`);
console.log(`P10-P90 coverage (mean over series; target 75-85%): ours=${(100 * avg(rows.map((x) => x.cov))).toFixed(1)}% R=${(100 * avg(rows.map((x) => x.rCov))).toFixed(1)}%`);
console.log(`R beats_snaive=${rBeats}/${N}; failed=${rows.filter((x) => x.failed).length}`);
console.log(`accuracy series=${N} mase_ratio_vs_R=${ratio(rows).toFixed(3)} beats_snaive=${beats}/${N}`);
