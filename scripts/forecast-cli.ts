/**
 * npm run forecast -- --in series.csv --horizon N --out forecast.csv [--periods 7,30]
 * Input columns series_id,timestamp,value (any number of series; spacing inferred per series, seconds to years).
 * Output series_id,timestamp,p10,p50,p90. Same engine as the app (lib/forecast/engine.ts).
 * A series that cannot be forecast (irregular timestamps, fewer than 3 points) is named on stderr and makes
 * the exit code 1; the other series are still written.
 */
import { createReadStream, writeFileSync } from "node:fs";
import Papa from "papaparse";
import { forecastTimestamped, SeriesError } from "@/lib/forecast/series";

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
      const pts = series.get(id);
      if (pts) pts.push({ t, v });
      else series.set(id, [{ t, v }]);
    },
    complete: () => resolve(),
    error: reject,
  });
});
if (!series.size) fail(`no valid rows in ${input}`);

const rows: string[] = ["series_id,timestamp,p10,p50,p90"];
const failed: string[] = [];
for (const [id, pts] of series) {
  let res;
  try {
    res = forecastTimestamped(id, pts, horizon, periodsOverride);
  } catch (e) {
    if (!(e instanceof SeriesError)) throw e;
    console.error(`forecast: ${e.message}`);
    failed.push(id);
    continue;
  }
  const f = res.forecast;
  const dateOnly = res.timestamps.every((t) => t.getUTCHours() === 0 && t.getUTCMinutes() === 0 && t.getUTCSeconds() === 0) && pts.every((p) => p.t.getUTCHours() === 0 && p.t.getUTCMinutes() === 0 && p.t.getUTCSeconds() === 0);
  res.timestamps.forEach((t, i) => {
    const ts = t.toISOString();
    rows.push(`${id},${dateOnly ? ts.slice(0, 10) : ts},${f.p10[i]},${f.p50[i]},${f.p90[i]}`);
  });
  console.error(`series ${id}: ${res.history} ${res.freq.name} points, periods ${res.periods.join(",") || "none"}, ${f.method}${f.note ? ` (${f.note})` : ""}`);
}
writeFileSync(out, rows.join("\n") + "\n");
console.error(`wrote ${rows.length - 1} rows for ${series.size - failed.length} of ${series.size} series to ${out}`);
if (failed.length) {
  console.error(`forecast: ${failed.length} series could not be forecast: ${failed.join(", ")}`);
  process.exit(1);
}
