"use client";
/**
 * The app's charts, loaded after the page: the chart library is the largest piece of JavaScript in the app
 * (about 120 KB gzipped), and every number a chart shows is also in a table on the page (or behind its "Show
 * as table"), so pages render, read and work before it arrives. Pages import charts from here, never from their
 * own files, so the chart library stays out of every page's first load.
 */
import dynamic from "next/dynamic";

function ChartLoading() {
  return (
    <div className="chart chart-loading" role="status">
      Loading chart…
    </div>
  );
}

export const CoverageChart = dynamic(() => import("@/components/dashboard/CoverageChart").then((m) => m.CoverageChart), { ssr: false, loading: ChartLoading });
export const MtmChart = dynamic(() => import("@/components/dashboard/MtmChart").then((m) => m.MtmChart), { ssr: false, loading: ChartLoading });
export const SpendChart = dynamic(() => import("@/components/dashboard/SpendChart").then((m) => m.SpendChart), { ssr: false, loading: ChartLoading });
export const CurveChart = dynamic(() => import("@/components/market/CurveChart").then((m) => m.CurveChart), { ssr: false, loading: ChartLoading });
export const SpotChart = dynamic(() => import("@/components/market/CurveChart").then((m) => m.SpotChart), { ssr: false, loading: ChartLoading });
export const ForecastChart = dynamic(() => import("@/components/forecast/ForecastChart").then((m) => m.ForecastChart), { ssr: false, loading: ChartLoading });
export const TrendChart = dynamic(() => import("@/components/chargebacks/TrendChart").then((m) => m.TrendChart), { ssr: false, loading: ChartLoading });
export const EffectivenessChart = dynamic(() => import("@/components/accounting/EffectivenessChart").then((m) => m.EffectivenessChart), { ssr: false, loading: ChartLoading });
