import { rng } from "@/lib/domain/rng";
import { addMonths } from "@/lib/domain/curve";
import { DAY_MS, monthKey } from "@/lib/domain/time";

/**
 * Demo market (labelled demo): quote streams with the behaviour of young AI-capacity markets — steep long-run
 * price declines per capability level, step cuts when providers reprice, an occasional supply squeeze that
 * inverts the near curve, thin far tenors with wide spreads. Emitted as the quotes CSV that imports read.
 */
type ClassMarket = {
  key: string;
  /** blended $ per 1M tokens at the start of history */
  start: number;
  /** fraction of price lost per year for a fixed capability */
  annualDecline: number;
  /** step cuts: N days before the end, price × factor */
  cuts: { daysAgo: number; factor: number }[];
  /** supply squeeze: near tenors trade above spot for a few weeks */
  squeezes: { daysAgo: number; lengthDays: number; premium: number }[];
};

export const DEMO_MARKET: ClassMarket[] = [
  { key: "frontier-reasoning", start: 30, annualDecline: 0.7, cuts: [{ daysAgo: 160, factor: 0.6 }, { daysAgo: 40, factor: 0.75 }], squeezes: [{ daysAgo: 75, lengthDays: 21, premium: 0.3 }] },
  { key: "general-chat", start: 8, annualDecline: 0.5, cuts: [{ daysAgo: 250, factor: 0.8 }], squeezes: [{ daysAgo: 200, lengthDays: 28, premium: 0.25 }] },
  { key: "small-fast", start: 1.2, annualDecline: 0.6, cuts: [{ daysAgo: 250, factor: 0.8 }], squeezes: [] },
  { key: "embedding", start: 0.14, annualDecline: 0.3, cuts: [], squeezes: [] },
];
const BROKERS = ["Demo Broker A", "Demo Broker B", "Demo Exchange"];

const fmt = (v: number) => v.toFixed(v < 1 ? 6 : 4);

export function spotOn(m: ClassMarket, daysFromStart: number, daysAgo: number): number {
  const decline = Math.pow(1 - m.annualDecline, daysFromStart / 365);
  const cuts = m.cuts.filter((c) => daysAgo <= c.daysAgo).reduce((f, c) => f * c.factor, 1);
  return m.start * decline * cuts;
}

export function* demoQuotesCsv(end: Date, days = 456, seed = 4242): Generator<string> {
  yield "as_of,source,source_type,kind,model_class,model,delivery_month,bid,ask,mid,quantity_tokens\n";
  const r = rng(seed);
  const endDay = Math.floor(end.getTime() / DAY_MS);
  for (let i = 0; i < days; i += 3) {
    const dayNum = endDay - (days - 1) + i;
    const daysAgo = days - 1 - i;
    const at = new Date(dayNum * DAY_MS + 15 * 3600 * 1000);
    const iso = at.toISOString();
    const month = monthKey(at);
    let chunk = "";
    for (const m of DEMO_MARKET) {
      const spot = spotOn(m, i, daysAgo) * Math.exp(0.02 * r.normal());
      chunk += `${iso},Demo provider list,PROVIDER,SPOT_LIST,${m.key},,,,,${fmt(spot * 1.05)},\n`;
      chunk += `${iso},Demo realized blend,PROVIDER,SPOT_REALIZED,${m.key},,,,,${fmt(spot)},\n`;
      const sq = m.squeezes.find((s) => daysAgo <= s.daysAgo && daysAgo > s.daysAgo - s.lengthDays);
      const monthlyDrift = Math.log(1 - m.annualDecline) / 12 * 0.8;
      for (const broker of BROKERS) {
        for (let t = 1; t <= 12; t++) {
          const p = t <= 3 ? 0.85 : t <= 6 ? 0.3 : 0.06;
          if (r.next() > p) continue;
          const premium = sq ? 1 + sq.premium * Math.exp(-(t - 1) / 2) : 1;
          const mid = spot * Math.exp(monthlyDrift * t) * premium * Math.exp(0.025 * r.normal());
          const spread = (0.015 + 0.02 * t) * (0.7 + 0.6 * r.next());
          const size = Math.round((5 + 20 * r.next()) * 1e9);
          chunk += `${iso},${broker},${broker.includes("Exchange") ? "EXCHANGE" : "BROKER"},FORWARD,${m.key},,${addMonths(month, t)},${fmt(mid * (1 - spread / 2))},${fmt(mid * (1 + spread / 2))},,${size}\n`;
        }
      }
    }
    yield chunk;
  }
}
