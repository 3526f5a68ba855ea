/**
 * Forecasting a timestamped series, as the CLI and the accuracy benchmark do: infer the spacing, put the
 * observations on a regular grid (gaps interpolated), pick the seasonal periods for that spacing and length,
 * forecast with the engine and date the forecast steps. Problems are thrown as SeriesError naming the series.
 */
import { defaultPeriods, inferFrequency, regularize, step, type Freq } from "@/lib/domain/forecast";
import { forecastSeries, type ForecastResult } from "./engine";

export class SeriesError extends Error {
  constructor(readonly seriesId: string, reason: string) {
    super(`series ${seriesId}: ${reason}`);
  }
}

/** Fewer distinct timestamps than this cannot be forecast. */
export const MIN_POINTS = 3;

export type TimestampedForecast = { freq: Freq; periods: number[]; history: number; timestamps: Date[]; forecast: ForecastResult };

export function forecastTimestamped(id: string, points: { t: Date; v: number }[], horizon: number, periodsOverride?: number[] | null): TimestampedForecast {
  const pts = [...points].sort((a, b) => a.t.getTime() - b.t.getTime());
  const distinct = new Set(pts.map((p) => p.t.getTime())).size;
  if (distinct < MIN_POINTS) throw new SeriesError(id, `only ${distinct} distinct timestamp${distinct === 1 ? "" : "s"} (at least ${MIN_POINTS} are needed)`);
  let freq: Freq;
  try {
    freq = inferFrequency(pts.map((p) => p.t));
  } catch (e) {
    throw new SeriesError(id, (e as Error).message);
  }
  const { t, y } = regularize(pts, freq, "interpolate");
  const periods = periodsOverride ?? defaultPeriods(freq, y.length);
  const forecast = forecastSeries(y, horizon, periods);
  const last = t[t.length - 1];
  return { freq, periods, history: y.length, timestamps: Array.from({ length: horizon }, (_, i) => step(last, freq, i + 1)), forecast };
}
