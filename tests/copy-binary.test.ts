import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import fc from "fast-check";
import { from as copyFrom } from "pg-copy-streams";
import { afterAll, describe, expect, it } from "vitest";
import { pgPool } from "@/lib/db/pg";
import { BinaryCopyEncoder } from "@/lib/db/copy-binary";

afterAll(async () => {
  await pgPool().query("DROP TABLE IF EXISTS copy_binary_check");
});

type Row = { i4: number; i8: number; ts: number; day: number; num: string | null };

/** Encodes rows, COPYs them in binary and reads them back as PostgreSQL prints them. */
async function roundTrip(rows: Row[], chunkSize?: number) {
  const c = await pgPool().connect();
  try {
    await c.query("DROP TABLE IF EXISTS copy_binary_check");
    await c.query("CREATE TABLE copy_binary_check (n serial, i4 int, i8 bigint, ts timestamp(3), day date, num numeric(20,6))");
    const enc = new BinaryCopyEncoder(chunkSize);
    const parts: Buffer[] = [];
    for (const r of rows) {
      enc.row(5, 128);
      enc.int4(r.i4);
      enc.int8(r.i8);
      enc.timestamp(r.ts);
      enc.date(r.day);
      if (r.num === null) enc.null();
      else enc.numeric(r.num);
      if (enc.filled > 1000) parts.push(enc.take());
    }
    parts.push(enc.take(true));
    await pipeline(Readable.from(parts), c.query(copyFrom("COPY copy_binary_check (i4, i8, ts, day, num) FROM STDIN (FORMAT binary)")));
    await new Promise((r) => setImmediate(r));
    const out = await c.query<{ i4: number; i8: string; ts: string; day: string; num: string | null }>(
      `SELECT i4, i8::text, to_char(ts, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ts, day::text, num::text FROM copy_binary_check ORDER BY n`,
    );
    return out.rows;
  } finally {
    c.release();
  }
}

describe("binary COPY encoder (against PostgreSQL)", () => {
  it("round-trips integers, timestamps, dates and numerics, including edge values", async () => {
    const t = Date.UTC(2026, 2, 1, 13);
    const nums = ["0", "0.000001", "1", "-1.5", "10000", "1.0001", "99999999999999.999999", "12345678901234.123456", "0.1", "007.50", "100.000000"];
    const rows: Row[] = nums.map((num, k) => ({ i4: k === 0 ? -2147483648 : 2147483647 - k, i8: [0, 1, 2 ** 32, 2 ** 53 - 1, -(2 ** 40)][k % 5], ts: t + k * 3_600_000, day: t, num }));
    rows.push({ i4: 0, i8: 0, ts: Date.UTC(2015, 0, 1), day: Date.UTC(2015, 0, 1), num: null });
    const out = await roundTrip(rows);
    expect(out.map((r) => r.num)).toEqual(["0.000000", "0.000001", "1.000000", "-1.500000", "10000.000000", "1.000100", "99999999999999.999999", "12345678901234.123456", "0.100000", "7.500000", "100.000000", null]);
    expect(out.map((r) => r.i8)).toEqual(rows.map((r) => String(r.i8)));
    expect(out.map((r) => r.i4)).toEqual(rows.map((r) => r.i4));
    expect(out.map((r) => r.ts)).toEqual(rows.map((r) => new Date(r.ts).toISOString()));
    expect(out.map((r) => r.day)).toEqual(rows.map((r) => new Date(r.day).toISOString().slice(0, 10)));
  });

  it("agrees with PostgreSQL's own parsing for random decimals, across buffer spills", async () => {
    const decimal = fc.tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 14n - 1n }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 999_999 })).map(
      ([neg, int, scale, frac]) => `${neg ? "-" : ""}${int}${scale ? "." + String(frac).padStart(6, "0").slice(0, scale) : ""}`,
    );
    const values = fc.sample(decimal, { numRuns: 400, seed: 7 });
    const out = await roundTrip(values.map((num) => ({ i4: 1, i8: 1, ts: 0 + Date.UTC(2020, 0, 1), day: Date.UTC(2020, 0, 1), num })), 256);
    const c = await pgPool().query<{ v: string }>("SELECT (x::numeric(20,6))::text AS v FROM unnest($1::text[]) WITH ORDINALITY AS u(x, o) ORDER BY o", [values]);
    expect(out.map((r) => r.num)).toEqual(c.rows.map((r) => r.v));
  });
});
