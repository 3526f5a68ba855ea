import Decimal from "decimal.js";
import { rng } from "@/lib/domain/rng";
import { addMonths } from "@/lib/domain/curve";
import { DAY_MS, monthKey } from "@/lib/domain/time";
import { moneyString } from "@/lib/domain/money";
import { listBlendedIndex, type ListBlendedIndex, type ListPrice, type ModelUsage } from "@/lib/domain/index-price";
import { DEMO_CLASSES, DEMO_MODELS, type DemoModel } from "./catalog";
import { demoUsageCsv } from "./usage";

/**
 * Demo market (labelled demo), generated around each class's index — the class's list price blended by the demo
 * organization's own usage mix (lib/domain/index-price.ts), computed through the same function the curve builder's
 * service uses, from the demo catalog's list prices (as lib/demo/seed.ts stores them) and the demo usage generator
 * (lib/demo/usage.ts, the rows the seed imports). So the demo's spot observations, forwards and curves are in the
 * same units as the demo's spend: tokens × spot reproduces list spend.
 *
 * Around that index the quote streams behave like a young AI-capacity market: list observations are the index
 * itself; realized observations scatter ±2% around it; forwards expect further declines (80% of the class's
 * long-run annual decline), with wider spreads and fewer quotes at far tenors; an occasional supply squeeze
 * inverts the near curve; list-price cuts in the catalog move everything at once. A few one-off "fat-finger"
 * quotes ~55% below the market show the outlier screen at work. Emitted as the quotes CSV that imports read.
 */
type ClassMarket = {
  key: (typeof DEMO_CLASSES)[number]["key"];
  /** fraction of price the market expects to lose per year for a fixed capability (drives forward discounts) */
  annualDecline: number;
  /** supply squeeze: near tenors trade above spot for a few weeks */
  squeezes: { daysAgo: number; lengthDays: number; premium: number }[];
};

export const DEMO_MARKET: ClassMarket[] = [
  { key: "frontier-reasoning", annualDecline: 0.7, squeezes: [{ daysAgo: 75, lengthDays: 21, premium: 0.3 }] },
  { key: "general-chat", annualDecline: 0.5, squeezes: [{ daysAgo: 200, lengthDays: 28, premium: 0.25 }] },
  { key: "small-fast", annualDecline: 0.6, squeezes: [] },
  { key: "embedding", annualDecline: 0.3, squeezes: [] },
];

/** One-off quotes far off the market (a desk's fat fingers): the curve's outlier screen must leave them out. */
export const DEMO_STRAYS: { key: ClassMarket["key"]; daysAgo: number; kind: "SPOT_REALIZED" | "FORWARD"; tenor?: number; factor: string }[] = [
  { key: "general-chat", daysAgo: 17, kind: "SPOT_REALIZED", factor: "0.45" },
  { key: "general-chat", daysAgo: 14, kind: "FORWARD", tenor: 1, factor: "0.44" },
  { key: "general-chat", daysAgo: 11, kind: "SPOT_REALIZED", factor: "0.46" },
  { key: "general-chat", daysAgo: 8, kind: "FORWARD", tenor: 2, factor: "0.45" },
  { key: "general-chat", daysAgo: 5, kind: "SPOT_REALIZED", factor: "0.44" },
  { key: "general-chat", daysAgo: 2, kind: "FORWARD", tenor: 1, factor: "0.46" },
];
const STRAY_SOURCE = "Demo OTC desk";
const BROKERS = ["Demo Broker A", "Demo Broker B", "Demo Exchange"];

/** Days of list-price history the seed stores: every demo model's first price is effective from then. */
export const DEMO_PRICE_HISTORY_DAYS = 460;
/** The index's trailing usage window (the service uses the same: lib/services/curves.ts INDEX_WINDOW_DAYS). */
const INDEX_WINDOW_DAYS = 30;

/**
 * A demo model's list price in force `daysAgo` days before the seed's "today", exactly as lib/demo/seed.ts stores
 * it: the catalog price from DEMO_PRICE_HISTORY_DAYS ago, then each cut (cumulative, in catalog order) from its
 * day on; cached input at a quarter of the input price. Null before the first price.
 */
export function demoListPrice(m: DemoModel, daysAgo: number): ListPrice | null {
  if (daysAgo > DEMO_PRICE_HISTORY_DAYS) return null;
  let factor = new Decimal(1);
  let inForce = { fromDaysAgo: DEMO_PRICE_HISTORY_DAYS, factor };
  for (const cut of m.cuts) {
    factor = factor.mul(cut.factor);
    if (cut.fromDaysAgo >= daysAgo && cut.fromDaysAgo < inForce.fromDaysAgo) inForce = { fromDaysAgo: cut.fromDaysAgo, factor };
  }
  const f = inForce.factor;
  return {
    input: new Decimal(m.input).mul(f).toFixed(6),
    cachedInput: new Decimal(m.input).mul(f).mul("0.25").toFixed(6),
    output: new Decimal(m.output).mul(f).toFixed(6),
  };
}

type Tokens = { input: bigint; cachedInput: bigint; output: bigint };

/** Demo usage per UTC day number and model name, parsed from the generator's CSV (the bytes the seed imports). */
function demoUsageByDay(usageEnd: Date): Map<number, Map<string, Tokens>> {
  const out = new Map<number, Map<string, Tokens>>();
  let header = true;
  for (const chunk of demoUsageCsv(usageEnd)) {
    for (const line of chunk.split("\n")) {
      if (!line) continue;
      if (header) {
        header = false;
        continue;
      }
      // date,team,provider,model,input_tokens,output_tokens,cached_input_tokens,requests
      const [date, , , model, input, output, cached] = line.split(",");
      const day = Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
      const models = out.get(day) ?? new Map<string, Tokens>();
      const t = models.get(model) ?? { input: 0n, cachedInput: 0n, output: 0n };
      models.set(model, { input: t.input + BigInt(input), cachedInput: t.cachedInput + BigInt(cached), output: t.output + BigInt(output) });
      out.set(day, models);
    }
  }
  return out;
}

/**
 * The demo classes' index by day: `indexOn(classKey, dayNum)` is the list-blended index (lib/domain/index-price.ts)
 * of the demo usage in the 30 days up to dayNum, at the list prices in force on dayNum. `end` is the seed's
 * "today" (the quotes' last day); the seed imports usage up to the day before (`usageEnd`).
 */
export function demoIndex(end: Date, usageEnd = new Date(end.getTime() - DAY_MS)) {
  const usage = demoUsageByDay(usageEnd);
  const endDay = Math.floor(end.getTime() / DAY_MS);
  const cache = new Map<string, ListBlendedIndex | null>();
  return (classKey: string, dayNum: number): ListBlendedIndex | null => {
    const key = `${classKey}|${dayNum}`;
    if (cache.has(key)) return cache.get(key)!;
    const sums = new Map<string, Tokens>();
    for (let d = dayNum - INDEX_WINDOW_DAYS + 1; d <= dayNum; d++) {
      for (const [model, t] of usage.get(d) ?? []) {
        const s = sums.get(model) ?? { input: 0n, cachedInput: 0n, output: 0n };
        sums.set(model, { input: s.input + t.input, cachedInput: s.cachedInput + t.cachedInput, output: s.output + t.output });
      }
    }
    const models: ModelUsage[] = DEMO_MODELS.filter((m) => m.cls === classKey && sums.has(m.name)).map((m) => ({
      model: `${m.provider} ${m.name}`,
      tokens: sums.get(m.name)!,
      price: demoListPrice(m, endDay - dayNum),
    }));
    const ix = listBlendedIndex(models);
    cache.set(key, ix);
    return ix;
  };
}

const price = (v: Decimal) => moneyString(v);
const factor = (x: number) => new Decimal(x);

export function* demoQuotesCsv(end: Date, days = 456, seed = 4242): Generator<string> {
  yield "as_of,source,source_type,kind,model_class,model,delivery_month,bid,ask,mid,quantity_tokens\n";
  const r = rng(seed);
  const indexOn = demoIndex(end);
  const endDay = Math.floor(end.getTime() / DAY_MS);
  for (let i = 0; i < days; i += 3) {
    const dayNum = endDay - (days - 1) + i;
    const daysAgo = days - 1 - i;
    const at = new Date(dayNum * DAY_MS + 15 * 3600 * 1000);
    const iso = at.toISOString();
    const month = monthKey(at);
    let chunk = "";
    for (const m of DEMO_MARKET) {
      const ix = indexOn(m.key, dayNum);
      if (!ix) continue; // no usage of the class yet: no index to quote around
      const spot = ix.priceUsdPerMTokens;
      chunk += `${iso},Demo provider list,PROVIDER,SPOT_LIST,${m.key},,,,,${price(spot)},\n`;
      chunk += `${iso},Demo realized blend,PROVIDER,SPOT_REALIZED,${m.key},,,,,${price(spot.mul(factor(Math.exp(0.02 * r.normal()))))},\n`;
      const sq = m.squeezes.find((s) => daysAgo <= s.daysAgo && daysAgo > s.daysAgo - s.lengthDays);
      const monthlyDrift = (Math.log(1 - m.annualDecline) / 12) * 0.8;
      for (const broker of BROKERS) {
        for (let t = 1; t <= 12; t++) {
          const p = t <= 3 ? 0.85 : t <= 6 ? 0.3 : 0.06;
          if (r.next() > p) continue;
          const premium = sq ? 1 + sq.premium * Math.exp(-(t - 1) / 2) : 1;
          const mid = spot.mul(factor(Math.exp(monthlyDrift * t) * premium * Math.exp(0.025 * r.normal())));
          const spread = (0.015 + 0.02 * t) * (0.7 + 0.6 * r.next());
          const size = Math.round((5 + 20 * r.next()) * 1e9);
          chunk += `${iso},${broker},${broker.includes("Exchange") ? "EXCHANGE" : "BROKER"},FORWARD,${m.key},,${addMonths(month, t)},${price(mid.mul(factor(1 - spread / 2)))},${price(mid.mul(factor(1 + spread / 2)))},,${size}\n`;
        }
      }
      for (const s of DEMO_STRAYS.filter((x) => x.key === m.key && x.daysAgo === daysAgo)) {
        const mid = price(spot.mul(s.factor));
        chunk +=
          s.kind === "FORWARD"
            ? `${iso},${STRAY_SOURCE},BROKER,FORWARD,${m.key},,${addMonths(month, s.tenor ?? 1)},,,${mid},\n`
            : `${iso},${STRAY_SOURCE},BROKER,SPOT_REALIZED,${m.key},,,,,${mid},\n`;
      }
    }
    yield chunk;
  }
}
