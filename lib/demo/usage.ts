import { rng } from "@/lib/domain/rng";
import { DEMO_STREAMS, type DemoStream } from "./catalog";
import { DAY_MS } from "@/lib/domain/time";


/** Daily demand of one stream on day index d (0 = first day) — growth trend, weekly seasonality, spikes, noise. */
function dailyInput(s: DemoStream, d: number, dow: number, r: ReturnType<typeof rng>): number {
  const trend = Math.pow(s.growth, d / 365);
  const weekly = dow === 0 || dow === 6 ? s.weekendFactor : 1 + 0.05 * Math.sin((dow / 7) * 2 * Math.PI);
  const spike = r.next() < 0.012 ? 1.8 + r.next() * 1.5 : 1;
  const noise = Math.exp(0.12 * r.normal());
  return s.baseInput * trend * weekly * spike * noise;
}

/**
 * Yields the demo organization's usage as Tokenhedge CSV (header first), day by day, ending on `end` (UTC day).
 * Same seed and end date → same bytes, so re-seeding is an idempotent no-op through the import's content hash.
 */
export function* demoUsageCsv(end: Date, days = 456, seed = 20261124): Generator<string> {
  yield "date,team,provider,model,input_tokens,output_tokens,cached_input_tokens,requests\n";
  const endDay = Math.floor(end.getTime() / DAY_MS);
  const r = rng(seed);
  for (let i = 0; i < days; i++) {
    const day = endDay - (days - 1) + i;
    const date = new Date(day * DAY_MS);
    const iso = date.toISOString().slice(0, 10);
    const daysAgo = days - 1 - i;
    let chunk = "";
    for (const s of DEMO_STREAMS) {
      const input = dailyInput(s, i, date.getUTCDay(), r);
      if (s.launchDaysAgo !== undefined && daysAgo > s.launchDaysAgo) continue;
      if (s.churnDaysAgo !== undefined && daysAgo < s.churnDaysAgo) continue;
      // ramp-up in the first weeks after launch
      const ramp = s.launchDaysAgo !== undefined ? Math.min(1, (s.launchDaysAgo - daysAgo + 1) / 21) : 1;
      const inTok = Math.round(input * ramp);
      const outTok = Math.round(inTok * s.outRatio * Math.exp(0.05 * r.normal()));
      const cached = Math.round(inTok * 0.3 * r.next());
      const requests = Math.max(1, Math.round(inTok / 2500));
      chunk += `${iso},${s.team},${s.provider},${s.model},${inTok},${outTok},${cached},${requests}\n`;
    }
    yield chunk;
  }
}
