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
