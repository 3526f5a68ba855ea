import { parentPort, workerData } from "node:worker_threads";
import { forecastSeries } from "@/lib/forecast/engine";

const { series, horizon, mode } = workerData as { series: number[][]; horizon: number; mode: "auto" | "mstl" };
const methods: Record<string, number> = {};
for (const y of series) {
  const f = forecastSeries(y, horizon, [7], mode === "mstl" ? { candidates: ["mstl-ets"], windowSeasons: 0 } : {});
  methods[f.method] = (methods[f.method] ?? 0) + 1;
}
parentPort!.postMessage(methods);
