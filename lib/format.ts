import Decimal from "decimal.js";

const UNITS: [bigint, string][] = [
  [10n ** 12n, "T"],
  [10n ** 9n, "B"],
  [10n ** 6n, "M"],
  [10n ** 3n, "K"],
];

/** 1234567890 → "1.23B" (display only; computation stays in bigint). */
export function fmtTokens(v: bigint | string | number): string {
  const n = BigInt(typeof v === "number" ? Math.round(v) : v);
  const neg = n < 0n;
  const a = neg ? -n : n;
  for (const [u, s] of UNITS) if (a >= u) return `${neg ? "-" : ""}${new Decimal(a.toString()).div(u.toString()).toSignificantDigits(3).toString()}${s}`;
  return n.toString();
}

export function fmtUsd(v: string | number | Decimal | null | undefined, dp = 2): string {
  if (v === null || v === undefined) return "—";
  const d = new Decimal(v.toString());
  const [i, f] = d.abs().toFixed(dp).split(".");
  return `${d.isNeg() ? "-" : ""}$${i.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}${f ? `.${f}` : ""}`;
}

export const fmtDate = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString().slice(0, 10) : "—");
export const fmtDateTime = (d: Date | string | null | undefined) =>
  d ? `${new Date(d).toISOString().slice(0, 16).replace("T", " ")} UTC` : "—";

const USD_UNITS: [Decimal, string][] = [
  [new Decimal("1e12"), "T"],
  [new Decimal("1e9"), "B"],
  [new Decimal("1e6"), "M"],
  [new Decimal("1e3"), "K"],
];

/**
 * Money at the scale a KPI tile or chart axis shows: $1.29M, $48.2K, $950 (three significant digits from a
 * thousand up; whole dollars below). Exact values belong in tables and tooltips (fmtUsd).
 */
export function fmtUsdCompact(v: string | number | Decimal | null | undefined): string {
  if (v === null || v === undefined) return "—";
  const d = new Decimal(v.toString());
  const a = d.abs();
  const sign = d.isNeg() ? "-" : "";
  const scaled = (i: number) => a.div(USD_UNITS[i][0]).toSignificantDigits(3, Decimal.ROUND_HALF_EVEN);
  for (let i = 0; i < USD_UNITS.length; i++) {
    if (!a.gte(USD_UNITS[i][0])) continue;
    // 999,999 rounds to 1000K: say $1M
    const up = i > 0 && scaled(i).gte(1000);
    return `${sign}$${scaled(up ? i - 1 : i).toString()}${USD_UNITS[up ? i - 1 : i][1]}`;
  }
  return a.toDecimalPlaces(0).gte(1000) ? `${sign}$1K` : `${sign}$${a.toFixed(0)}`;
}

/** 2500 → "2,500": counts with separators (display only). */
export const fmtCount = (n: number | bigint) => n.toLocaleString("en-US");
