/**
 * npm run forecast -- --in series.csv --horizon N --out forecast.csv [--periods 7,30]
 * Input columns series_id,timestamp,value (any number of series; frequency inferred per series).
 * Output series_id,timestamp,p10,p50,p90. Same engine as the app (lib/forecast/engine.ts).
 */
import { createReadStream, writeFileSync } from "node:fs";
import Papa from "papaparse";
import { defaultPeriods, inferFrequency, regularize, step } from "@/lib/domain/forecast";
import { forecastSeries } from "@/lib/forecast/engine";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
function fail(msg: string): never {
  console.error(`forecast: ${msg}\nusage: npm run forecast -- --in series.csv --horizon N --out forecast.csv [--periods 7,30]`);
  process.exit(2);
}

const input = arg("in") ?? fail("--in is required");
const out = arg("out") ?? fail("--out is required");
const horizon = Number(arg("horizon"));
if (!Number.isInteger(horizon) || horizon < 1) fail("--horizon must be a positive whole number");
const periodsArg = arg("periods");
const periodsOverride = periodsArg ? periodsArg.split(",").map(Number) : null;
if (periodsOverride?.some((p) => !Number.isInteger(p) || p < 1)) fail("--periods must be positive whole numbers, comma separated");

const series = new Map<string, { t: Date; v: number }[]>();
let line = 1;
await new Promise<void>((resolve, reject) => {
  Papa.parse(createReadStream(input), {
    header: true,
    skipEmptyLines: true,
    step: (r: Papa.ParseStepResult<Record<string, string>>) => {
      line++;
      const { series_id: id, timestamp, value } = r.data;
      const t = new Date(/^\d{4}-\d{2}-\d{2}$/.test(timestamp ?? "") ? `${timestamp}T00:00:00Z` : (timestamp ?? ""));
      const v = Number(value);
      if (!id || Number.isNaN(t.getTime()) || value === undefined || value.trim() === "" || !Number.isFinite(v)) {
        console.error(`line ${line}: skipped (need series_id, an ISO timestamp and a numeric value)`);
        return;
      }
      series.set(id, [...(series.get(id) ?? []), { t, v }]);
    },
    complete: () => resolve(),
    error: reject,
  });
});
if (!series.size) fail(`no valid rows in ${input}`);

const rows: string[] = ["series_id,timestamp,p10,p50,p90"];
for (const [id, pts] of series) {
  pts.sort((a, b) => a.t.getTime() - b.t.getTime());
  let freq;
  try {
    freq = inferFrequency(pts.map((p) => p.t));
  } catch (e) {
    console.error(`series ${id}: ${(e as Error).message}; skipped`);
    continue;
  }
  const { t, y } = regularize(pts, freq, "interpolate");
  const f = forecastSeries(y, horizon, periodsOverride ?? defaultPeriods(freq));
  const dateOnly = pts.every((p) => p.t.getUTCHours() === 0 && p.t.getUTCMinutes() === 0) && freq !== "hourly";
  for (let i = 0; i < horizon; i++) {
    const ts = step(t[t.length - 1], freq, i + 1).toISOString();
    rows.push(`${id},${dateOnly ? ts.slice(0, 10) : ts},${f.p10[i]},${f.p50[i]},${f.p90[i]}`);
  }
  console.error(`series ${id}: ${y.length} ${freq} points, ${f.method}${f.note ? ` (${f.note})` : ""}`);
}
writeFileSync(out, rows.join("\n") + "\n");
console.error(`wrote ${rows.length - 1} rows to ${out}`);
