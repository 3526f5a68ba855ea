/**
 * npm run value -- --contracts contracts.csv --curves curves.csv --spot spot.csv --as-of YYYY-MM-DD [--rate 0.04] --out marks.csv
 * Marks cash-settled average-price forwards to market (lib/domain/valuation.ts documents the method).
 * Inputs: contracts.csv id,model_class,quantity_tokens,window_start,window_end,strike (window inclusive);
 *         curves.csv model_class,month,price (forward for delivery month YYYY-MM);
 *         spot.csv model_class,date,price (daily; carried forward over missing days).
 * Output: marks.csv id,period,state,quantity_tokens,price,discount_factor,value_usd — one row per contract
 * month, then id,TOTAL. Exit 2 (nothing written) on bad arguments, bad rows (listed with file and line)
 * or missing market data.
 */
import { readFileSync, writeFileSync } from "node:fs";
import Papa from "papaparse";
import { Decimal } from "@/lib/domain/money";
import { parseDay } from "@/lib/domain/time";
import {
  MARK_COLUMNS,
  ValuationError,
  markRowValues,
  markRows,
  marketSnapshot,
  valueForward,
  type AveragePriceForward,
  type ForwardPoint,
  type SpotObservation,
} from "@/lib/domain/valuation";

const USAGE = "usage: npm run value -- --contracts contracts.csv --curves curves.csv --spot spot.csv --as-of YYYY-MM-DD [--rate 0.04] --out marks.csv";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
function fail(msg: string, usage = true): never {
  console.error(`value: ${msg}${usage ? `\n${USAGE}` : ""}`);
  process.exit(2);
}

const DECIMAL = /^(?:\d+(?:\.\d*)?|\.\d+)$/;
const SIGNED_DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

/** A real calendar day YYYY-MM-DD as midnight UTC, or null (2026-02-30 is null). */
function day(s: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return null;
  const d = parseDay(s);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== s ? null : d;
}
const isMonth = (s: string) => /^\d{4}-(?:0[1-9]|1[0-2])$/.test(s);

const contractsPath = arg("contracts") ?? fail("--contracts is required");
const curvesPath = arg("curves") ?? fail("--curves is required");
const spotPath = arg("spot") ?? fail("--spot is required");
const asOfArg = arg("as-of") ?? fail("--as-of is required");
const out = arg("out") ?? fail("--out is required");
const asOf = day(asOfArg) ?? fail(`--as-of must be a date YYYY-MM-DD, got "${asOfArg}"`);
const rateArg = arg("rate") ?? "0.04";
if (!SIGNED_DECIMAL.test(rateArg)) fail(`--rate must be a decimal such as 0.04 (continuously compounded, per year), got "${rateArg}"`);
const rate = new Decimal(rateArg);

type Row = { line: number; get: (col: string) => string };
const problems: string[] = [];

/** Data rows of a CSV with their 1-based line numbers (header is line 1); fails when a column is missing. */
function readCsv(path: string, columns: readonly string[]): Row[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    fail(`cannot read ${path}: ${(e as Error).message}`, false);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: false });
  // One parsed row per line, plus the line breaks inside quoted fields.
  let line = 0;
  let header: string[] | null = null;
  let headerLine = 0;
  const data: { line: number; cells: string[] }[] = [];
  for (const cells of parsed.data) {
    line++;
    const quotedBreaks = cells.reduce((n, c) => n + (c.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
    const at = line;
    line += quotedBreaks;
    if (cells.every((c) => c.trim() === "")) continue;
    if (!header) {
      header = cells.map((c) => c.trim().toLowerCase());
      headerLine = at;
      continue;
    }
    data.push({ line: at, cells });
  }
  if (!header) fail(`${path} is empty (expected header ${columns.join(",")})`, false);
  const idx = new Map(header.map((h, i) => [h, i] as const));
  const missing = columns.filter((c) => !idx.has(c));
  if (missing.length) fail(`${path} line ${headerLine}: missing column${missing.length > 1 ? "s" : ""} ${missing.join(", ")} (expected ${columns.join(",")})`, false);
  return data.map(({ line: l, cells }) => ({ line: l, get: (col: string) => (cells[idx.get(col)!] ?? "").trim() }));
}

// contracts
const contracts: AveragePriceForward[] = [];
const contractLine = new Map<string, number>();
for (const r of readCsv(contractsPath, ["id", "model_class", "quantity_tokens", "window_start", "window_end", "strike"])) {
  const bad = (msg: string) => problems.push(`${contractsPath} line ${r.line}: ${msg}`);
  const id = r.get("id");
  const modelClass = r.get("model_class");
  const q = r.get("quantity_tokens");
  const ws = r.get("window_start");
  const we = r.get("window_end");
  const k = r.get("strike");
  const before = problems.length;
  if (!id) bad("id is empty");
  else if (contractLine.has(id)) bad(`duplicate id "${id}" (first on line ${contractLine.get(id)})`);
  if (!modelClass) bad("model_class is empty");
  if (!/^\d+$/.test(q) || BigInt(q) <= 0n) bad(`quantity_tokens must be a positive whole number of tokens, got "${q}"`);
  const start = day(ws);
  const end = day(we);
  if (!start) bad(`window_start is not a valid date YYYY-MM-DD: "${ws}"`);
  if (!end) bad(`window_end is not a valid date YYYY-MM-DD: "${we}"`);
  if (start && end && end.getTime() < start.getTime()) bad(`window_end ${we} is before window_start ${ws}`);
  if (!DECIMAL.test(k) || new Decimal(k).lte(0)) bad(`strike must be a positive decimal (USD per 1M tokens), got "${k}"`);
  if (id && !contractLine.has(id)) contractLine.set(id, r.line);
  if (problems.length === before)
    contracts.push({ id, modelClass, quantityTokens: BigInt(q), windowStart: start!, windowEnd: end!, strikePerMTokens: new Decimal(k) });
}

// forward curves
const forwards: ForwardPoint[] = [];
const forwardLine = new Map<string, number>();
for (const r of readCsv(curvesPath, ["model_class", "month", "price"])) {
  const bad = (msg: string) => problems.push(`${curvesPath} line ${r.line}: ${msg}`);
  const modelClass = r.get("model_class");
  const month = r.get("month");
  const price = r.get("price");
  const before = problems.length;
  if (!modelClass) bad("model_class is empty");
  if (!isMonth(month)) bad(`month must be YYYY-MM, got "${month}"`);
  if (!DECIMAL.test(price)) bad(`price must be a non-negative decimal, got "${price}"`);
  const key = `${modelClass}\u0000${month}`;
  if (problems.length === before) {
    if (forwardLine.has(key)) bad(`duplicate forward for ${modelClass} ${month} (first on line ${forwardLine.get(key)})`);
    else {
      forwardLine.set(key, r.line);
      forwards.push({ modelClass, month, price: new Decimal(price) });
    }
  }
}

// spot
const spots: SpotObservation[] = [];
const spotLine = new Map<string, number>();
for (const r of readCsv(spotPath, ["model_class", "date", "price"])) {
  const bad = (msg: string) => problems.push(`${spotPath} line ${r.line}: ${msg}`);
  const modelClass = r.get("model_class");
  const date = r.get("date");
  const price = r.get("price");
  const before = problems.length;
  if (!modelClass) bad("model_class is empty");
  const d = day(date);
  if (!d) bad(`date is not a valid date YYYY-MM-DD: "${date}"`);
  if (!DECIMAL.test(price)) bad(`price must be a non-negative decimal, got "${price}"`);
  const key = `${modelClass}\u0000${date}`;
  if (problems.length === before) {
    if (spotLine.has(key)) bad(`duplicate spot for ${modelClass} on ${date} (first on line ${spotLine.get(key)})`);
    else {
      spotLine.set(key, r.line);
      spots.push({ modelClass, date: d!, price: new Decimal(price) });
    }
  }
}

function stop(): never {
  const shown = problems.slice(0, 50);
  for (const p of shown) console.error(p);
  if (problems.length > shown.length) console.error(`… and ${problems.length - shown.length} more`);
  fail(`${problems.length} problem${problems.length > 1 ? "s" : ""}; nothing written`, false);
}
if (problems.length) stop();
if (!contracts.length) fail(`no contracts in ${contractsPath}`, false);

const market = marketSnapshot({ asOf, rate, forwards, spots });
const rows: string[][] = [];
for (const c of contracts) {
  try {
    rows.push(...markRows(valueForward(c, market)).map(markRowValues));
  } catch (e) {
    if (!(e instanceof ValuationError)) throw e;
    problems.push(`${contractsPath} line ${contractLine.get(c.id)}: ${e.message}`);
  }
}
if (problems.length) stop();

writeFileSync(out, Papa.unparse({ fields: [...MARK_COLUMNS], data: rows }, { newline: "\n" }) + "\n");
console.error(`value: marked ${contracts.length} contract${contracts.length > 1 ? "s" : ""} as of ${asOfArg} at rate ${rateArg}; wrote ${rows.length} rows to ${out}`);
