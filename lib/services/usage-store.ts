import { once } from "node:events";
import { createReadStream, createWriteStream, mkdtempSync, readdirSync, rmSync, statSync, type WriteStream } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { PoolClient } from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { pgPool } from "@/lib/db/pg";
import { prisma } from "@/lib/db/client";
import { BinaryCopyEncoder } from "@/lib/db/copy-binary";
import { DAY_MS } from "@/lib/domain/time";
import { PeriodSet } from "@/lib/domain/period-set";
import { DailyRollup } from "@/lib/domain/usage-rollup";
import { classDailyRollupSql, monthlyRollupSql, rollupLockKey } from "./usage-rollup";
import type { NormalizedUsage } from "@/lib/domain/usage-formats";

type Granularity = NormalizedUsage["granularity"];
const HOUR_MS = 3_600_000;
const SPOOL_PREFIX = "th-usage-spool-";
const COLUMNS = `"seriesId","periodStart","inputTokens","outputTokens","cachedInputTokens",requests,"costUsd","importSeq"`;
const FLUSH_AT = (1 << 16) - 1024; // just under the encoder's 64 KB buffer
/** bytes one usage row can take in binary COPY (8 fields; cost numeric at most 24) */
const MAX_ROW_BYTES = 128;

/** One team × model × granularity of the organization, with the bounds of what is stored and of what this file brings. */
export type Series = {
  id: number;
  teamId: string;
  modelId: string;
  granularity: Granularity;
  /** stored bounds (ms) before this import; rows inside them may replace stored rows */
  storedLo: number | null;
  storedHi: number | null;
  fileLo: number;
  fileHi: number;
  /** periods of this file written straight to the table */
  written: PeriodSet;
};

/**
 * Writes one usage import inside one transaction, built for bulk speed (see UsageRecord in schema.prisma):
 * - a row whose series × period cannot exist yet (outside the series' stored bounds, first in this file) is
 *   streamed by COPY straight into UsageRecord, and its day totals accumulate in memory;
 * - every other row (may replace an earlier import's row, or repeats a key of this file, e.g. FOCUS's split
 *   token kinds) is spooled to a temp file, then COPYed into a temp table and merged set-wise at the end:
 *   repeats summed, earlier imports' rows for the same key deleted and counted as replaced.
 * UsageDaily and the series bounds are updated in the same transaction. Imports of one organization are
 * serialized by an advisory lock, so no other import can add a row between the bounds check and the commit.
 * A failure at any point (including the process dying mid-COPY) leaves nothing behind.
 */
/** The largest import (series × days it spans) whose read-model upkeep runs in its own transaction (maintainReadModels). */
export const UPKEEP_MAX_SERIES_DAYS = Number(process.env.USAGE_UPKEEP_MAX_SERIES_DAYS ?? 10_000);

export class UsageWriter {
  private readonly main = new BinaryCopyEncoder();
  private readonly spilled = new BinaryCopyEncoder();
  private mainRows = 0;
  private sideRows = 0;
  private sideLo = Infinity;
  private sideHi = -Infinity;
  private closed = false;
  private repeats = false;
  private side: WriteStream | null = null;
  private sideDir: string | null = null;
  private readonly rollup = new DailyRollup();
  private readonly series = new Map<string, Series>();
  private spareIds: number[] = [];

  private constructor(
    private readonly client: PoolClient,
    private readonly orgId: string,
    readonly importSeq: number,
    private readonly copy: ReturnType<typeof copyFrom>,
    private readonly spoolAll: boolean,
  ) {}

  /**
   * spoolAll: send every row through the spool — for formats that split one key over several rows (FOCUS has a
   * row per token kind), where folding repeats into streamed rows would cost a table scan.
   */
  static async open(orgId: string, spoolAll = false): Promise<UsageWriter> {
    const client = await pgPool().connect();
    try {
      await client.query("BEGIN");
      await client.query(`SELECT pg_advisory_xact_lock(hashtextextended('usage-import:' || $1, 0))`, [orgId]);
      const existing = await client.query<{ id: number; teamId: string; modelId: string; granularity: Granularity; lo: number | null; hi: number | null }>(
        `SELECT id, "teamId", "modelId", granularity,
                (extract(epoch FROM "firstPeriod") * 1000)::float8 AS lo, (extract(epoch FROM "lastPeriod") * 1000)::float8 AS hi
         FROM "UsageSeries" WHERE "organizationId" = $1`,
        [orgId],
      );
      const seq = await client.query<{ seq: number }>(`SELECT nextval(pg_get_serial_sequence('"Import"', 'seq'))::int AS seq`);
      // ids for new series, reserved now while the connection is free (more are fetched if a file brings more)
      const ids = await reserveSeriesIds(client);
      const copy = client.query(copyFrom(`COPY "UsageRecord" (${COLUMNS}) FROM STDIN (FORMAT binary)`));
      const w = new UsageWriter(client, orgId, seq.rows[0].seq, copy, spoolAll);
      w.spareIds = ids;
      for (const s of existing.rows) w.series.set(seriesKey(s.teamId, s.modelId, s.granularity), newSeries(s.id, s.teamId, s.modelId, s.granularity, s.lo, s.hi));
      return w;
    } catch (e) {
      client.release(true);
      throw e;
    }
  }

  /** The series for a team × model × granularity; a new one gets an id now and is created at commit. */
  async seriesFor(teamId: string, modelId: string, granularity: Granularity): Promise<Series> {
    const key = seriesKey(teamId, modelId, granularity);
    let s = this.series.get(key);
    if (s) return s;
    // the COPY holds this transaction's connection; sequences are not transactional, so another connection reserves ids
    if (!this.spareIds.length) this.spareIds = await reserveSeriesIds(pgPool());
    s = newSeries(this.spareIds.shift()!, teamId, modelId, granularity, null, null);
    this.series.set(key, s);
    return s;
  }

  /** Queues one valid row; resolves when the database or the spool file can take more. */
  write(s: Series, r: NormalizedUsage): Promise<unknown> | undefined {
    const ms = r.periodStart.getTime();
    if (ms < s.fileLo) s.fileLo = ms;
    if (ms > s.fileHi) s.fileHi = ms;
    const mayExist = this.spoolAll || (s.storedLo !== null && ms >= s.storedLo && ms <= s.storedHi!);
    // (floored: a daily bucket that does not start at midnight only costs a trip through the spool)
    if (!mayExist && s.written.add(Math.floor(ms / (s.granularity === "HOUR" ? HOUR_MS : DAY_MS)))) {
      this.mainRows++;
      this.rollup.add(s.id, ms, r.inputTokens, r.outputTokens, r.cachedInputTokens, r.requests, r.costUsd);
      this.encode(this.main, s.id, ms, r);
      if (this.main.filled < FLUSH_AT) return undefined;
      return this.copy.write(this.main.take()) ? undefined : once(this.copy, "drain");
    }
    if (!mayExist) this.repeats = true;
    this.sideRows++;
    if (ms < this.sideLo) this.sideLo = ms;
    if (ms > this.sideHi) this.sideHi = ms;
    this.encode(this.spilled, s.id, ms, r);
    if (this.spilled.filled < FLUSH_AT) return undefined;
    return this.spool(false);
  }

  private encode(enc: BinaryCopyEncoder, seriesId: number, ms: number, r: NormalizedUsage) {
    enc.row(8, MAX_ROW_BYTES);
    enc.int4(seriesId);
    enc.timestamp(ms);
    enc.int8(r.inputTokens);
    enc.int8(r.outputTokens);
    enc.int8(r.cachedInputTokens);
    enc.int8(r.requests);
    if (r.costUsd === null) enc.null();
    else enc.numeric(r.costUsd);
    enc.int4(this.importSeq);
  }

  private spool(end: boolean): Promise<unknown> | undefined {
    if (!this.side) {
      this.sideDir = mkdtempSync(path.join(tmpdir(), SPOOL_PREFIX));
      this.side = createWriteStream(path.join(this.sideDir, "side.bin"));
    }
    const ok = this.side.write(this.spilled.take(end));
    return ok ? undefined : once(this.side, "drain");
  }

  /** Ends the stream of rows (the file has been read whole). */
  async endRows(): Promise<void> {
    this.copy.end(this.main.take(true));
    await once(this.copy, "finish");
    await copyDone();
    if (!this.sideRows) return;
    this.spool(true);
    this.side!.end();
    await once(this.side!, "finish");
    await this.client.query(`CREATE TEMP TABLE usage_side (LIKE "UsageRecord") ON COMMIT DROP`);
    await this.copyIn(createReadStream(path.join(this.sideDir!, "side.bin")), "usage_side");
  }

  /** Binary COPY of `source` into `target` on the import's connection. */
  private async copyIn(source: Readable, target: string) {
    await pipeline(source, this.client.query(copyFrom(`COPY ${target} FROM STDIN (FORMAT binary)`)));
    await copyDone();
  }

  /**
   * Creates new series, widens bounds, merges the spooled rows and updates daily totals.
   * Returns the usage records this import now holds and how many earlier rows it replaced.
   */
  async finish(): Promise<{ records: number; replaced: number }> {
    const c = this.client;
    const touched = [...this.series.values()].filter((s) => s.fileLo <= s.fileHi);
    const iso = (ms: number) => new Date(ms).toISOString();
    await c.query(
      `INSERT INTO "UsageSeries" (id, "organizationId", "teamId", "modelId", granularity, "firstPeriod", "lastPeriod")
       SELECT u.id, $1, u.team, u.model, u.gran::"Granularity", u.lo, u.hi
       FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::timestamp[], $7::timestamp[]) AS u(id, team, model, gran, lo, hi)
       ON CONFLICT (id) DO UPDATE SET "firstPeriod" = LEAST("UsageSeries"."firstPeriod", EXCLUDED."firstPeriod"),
                                      "lastPeriod" = GREATEST("UsageSeries"."lastPeriod", EXCLUDED."lastPeriod")`,
      [this.orgId, touched.map((s) => s.id), touched.map((s) => s.teamId), touched.map((s) => s.modelId), touched.map((s) => s.granularity), touched.map((s) => iso(s.fileLo)), touched.map((s) => iso(s.fileHi))],
    );
    // Day totals of the rows streamed straight in. When no day can have stored totals yet (all outside the series'
    // stored bounds, nothing spooled) they are copied straight into UsageDaily; otherwise they become deltas.
    const byId = new Map(touched.map((s) => [s.id, s]));
    const freshDays = this.rollup.exact && !this.sideRows && [...this.rollup.values()].every((t) => {
      const s = byId.get(t.seriesId)!;
      return s.storedLo === null || t.day.getTime() > s.storedHi! || t.day.getTime() + DAY_MS <= s.storedLo;
    });
    if (freshDays) {
      await this.copyTotals(`"UsageDaily" ("seriesId", day, "inputTokens", "outputTokens", "cachedInputTokens", requests, "costUsd", rows, "costRows")`);
      return { records: this.mainRows, replaced: 0 };
    }
    await c.query(
      `CREATE TEMP TABLE usage_delta (series int, day date, i bigint, o bigint, c bigint, r bigint, cost numeric, n int, cn int) ON COMMIT DROP`,
    );
    if (this.rollup.exact) await this.copyTotals("usage_delta");
    else
      await c.query(
        `INSERT INTO usage_delta SELECT "seriesId", "periodStart"::date, sum("inputTokens"), sum("outputTokens"), sum("cachedInputTokens"), sum(requests), sum("costUsd"), count(*), count("costUsd")
         FROM "UsageRecord" WHERE "importSeq" = $1 GROUP BY 1, 2`,
        [this.importSeq],
      );
    let replaced = 0;
    let sideRecords = 0;
    if (this.sideRows) ({ replaced, sideRecords } = await this.mergeSide());
    await c.query(
      `INSERT INTO "UsageDaily" ("seriesId", day, "inputTokens", "outputTokens", "cachedInputTokens", requests, "costUsd", rows, "costRows")
       ${this.sideRows ? "SELECT series, day, sum(i), sum(o), sum(c), sum(r), sum(cost), sum(n), sum(cn) FROM usage_delta GROUP BY 1, 2" : "SELECT * FROM usage_delta"}
       ON CONFLICT ("seriesId", day) DO UPDATE SET
         "inputTokens" = "UsageDaily"."inputTokens" + EXCLUDED."inputTokens",
         "outputTokens" = "UsageDaily"."outputTokens" + EXCLUDED."outputTokens",
         "cachedInputTokens" = "UsageDaily"."cachedInputTokens" + EXCLUDED."cachedInputTokens",
         requests = "UsageDaily".requests + EXCLUDED.requests,
         "costUsd" = CASE WHEN "UsageDaily"."costRows" + EXCLUDED."costRows" = 0 THEN NULL
                          ELSE coalesce("UsageDaily"."costUsd", 0) + coalesce(EXCLUDED."costUsd", 0) END,
         rows = "UsageDaily".rows + EXCLUDED.rows,
         "costRows" = "UsageDaily"."costRows" + EXCLUDED."costRows"`,
    );
    return { records: this.mainRows + sideRecords, replaced };
  }

  /**
   * Keeps the read models (UsageMonthly, UsageClassDaily) current in the import's own transaction, after finish():
   * the team × model × month rows and class × day rows overlapping the days this file wrote are recomputed from
   * UsageDaily with the rollup job's SQL (exact, priced). Only when they were current before this import: otherwise
   * the rollup job rebuilds them anyway (a list price changed). Takes the rollup's lock, so it waits for a running
   * rollup instead of racing it. Returns whether the read models are current when this transaction commits.
   *
   * Bulk loads are the exception: pricing costs about 3 µs per series-day in SQL numeric, so a file spanning more
   * than UPKEEP_MAX_SERIES_DAYS series × days (a backfill, not a daily or monthly file) leaves the read models to
   * the rollup job, as a list-price change does, and keeps its load at COPY speed (`npm run bench:ingest`).
   */
  async maintainReadModels(): Promise<boolean> {
    const c = this.client;
    const touched = [...this.series.values()].filter((s) => s.fileLo <= s.fileHi);
    const day = (ms: number) => new Date(Math.floor(ms / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
    const seriesDays = touched.reduce((n, s) => n + Math.floor(s.fileHi / DAY_MS) - Math.floor(s.fileLo / DAY_MS) + 1, 0);
    if (seriesDays > UPKEEP_MAX_SERIES_DAYS) return false;
    await c.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [rollupLockKey(this.orgId)]);
    const org = await c.query<{ current: boolean }>(`SELECT "usageRolledVersion" = "usageVersion" AS current FROM "Organization" WHERE id = $1`, [this.orgId]);
    if (!org.rows[0]?.current) return false;
    if (!touched.length) return true;
    await c.query(
      `CREATE TEMP TABLE touched_months ON COMMIT DROP AS
       SELECT DISTINCT s."teamId", s."modelId", gs::date AS month
         FROM unnest($1::int[], $2::date[], $3::date[]) AS t(series, lo, hi)
         JOIN "UsageSeries" s ON s.id = t.series,
              generate_series(date_trunc('month', t.lo::timestamp), t.hi::timestamp, interval '1 month') gs`,
      [touched.map((s) => s.id), touched.map((s) => day(s.fileLo)), touched.map((s) => day(s.fileHi))],
    );
    await c.query(
      `CREATE TEMP TABLE touched_class_days ON COMMIT DROP AS
       SELECT DISTINCT m."modelClassId", gs::date AS day
         FROM unnest($1::text[], $2::date[], $3::date[]) AS t(model, lo, hi)
         JOIN "Model" m ON m.id = t.model,
              generate_series(t.lo::timestamp, t.hi::timestamp, interval '1 day') gs`,
      [touched.map((s) => s.modelId), touched.map((s) => day(s.fileLo)), touched.map((s) => day(s.fileHi))],
    );
    await c.query(
      `DELETE FROM "UsageMonthly" um USING touched_months k
        WHERE um."organizationId" = $1 AND um."teamId" = k."teamId" AND um."modelId" = k."modelId" AND um.month = k.month`,
      [this.orgId],
    );
    await c.query(
      monthlyRollupSql(`JOIN touched_months k ON k."teamId" = s."teamId" AND k."modelId" = s."modelId"
                          AND d.day >= k.month AND d.day < (k.month + interval '1 month')::date`),
      [this.orgId],
    );
    await c.query(
      `DELETE FROM "UsageClassDaily" u USING touched_class_days k
        WHERE u."organizationId" = $1 AND u."modelClassId" = k."modelClassId" AND u.day = k.day`,
      [this.orgId],
    );
    await c.query(classDailyRollupSql(`JOIN touched_class_days k ON k."modelClassId" = m."modelClassId" AND k.day = d.day`), [this.orgId]);
    return true;
  }

  /** COPYs the in-memory day totals into `target` (UsageDaily or the delta table; same column order). */
  private async copyTotals(target: string) {
    const enc = new BinaryCopyEncoder();
    const parts: Buffer[] = [];
    for (const t of this.rollup.values()) {
      enc.row(9, MAX_ROW_BYTES);
      enc.int4(t.seriesId);
      enc.date(t.day.getTime());
      enc.int8(t.inputTokens);
      enc.int8(t.outputTokens);
      enc.int8(t.cachedInputTokens);
      enc.int8(t.requests);
      if (t.costUsd) enc.numeric(t.costUsd.toFixed());
      else enc.null();
      enc.int4(t.rows);
      enc.int4(t.costRows);
      if (enc.filled >= FLUSH_AT) parts.push(enc.take());
    }
    parts.push(enc.take(true));
    await this.copyIn(Readable.from(parts), target);
  }

  private async mergeSide(): Promise<{ replaced: number; sideRecords: number }> {
    const c = this.client;
    const seq = this.importSeq;
    const bounds = [new Date(this.sideLo).toISOString(), new Date(this.sideHi).toISOString()];
    await c.query(
      `CREATE TEMP TABLE side_agg ON COMMIT DROP AS
       SELECT "seriesId", "periodStart", sum("inputTokens") AS i, sum("outputTokens") AS o, sum("cachedInputTokens") AS c, sum(requests) AS r,
              sum("costUsd") AS cost, false AS merged
       FROM usage_side GROUP BY 1, 2`,
    );
    // every spooled row's tokens count towards its day; repeats of a streamed key then fold into that row
    await c.query(
      `INSERT INTO usage_delta SELECT "seriesId", "periodStart"::date, sum("inputTokens"), sum("outputTokens"), sum("cachedInputTokens"), sum(requests), sum("costUsd"), 0, 0
       FROM usage_side GROUP BY 1, 2`,
    );
    if (this.repeats)
      await c.query(
        `WITH moved AS (
           DELETE FROM "UsageRecord" u USING side_agg a
           WHERE u."importSeq" = $1 AND u."seriesId" = a."seriesId" AND u."periodStart" = a."periodStart" AND u."periodStart" BETWEEN $2 AND $3
           RETURNING u.*),
         -- the streamed row's cost was counted when it was streamed; the merged row is counted below
         d AS (INSERT INTO usage_delta SELECT "seriesId", "periodStart"::date, 0, 0, 0, 0, NULL, 0, -count("costUsd") FROM moved GROUP BY 1, 2)
         UPDATE side_agg a SET i = a.i + m."inputTokens", o = a.o + m."outputTokens", c = a.c + m."cachedInputTokens", r = a.r + m.requests,
                               cost = coalesce(a.cost + m."costUsd", a.cost, m."costUsd"), merged = true
         FROM moved m WHERE a."seriesId" = m."seriesId" AND a."periodStart" = m."periodStart"`,
        [seq, ...bounds],
      );
    const gone = await c.query<{ n: string }>(
      `WITH gone AS (
         DELETE FROM "UsageRecord" u USING side_agg a
         WHERE NOT a.merged AND u."importSeq" <> $1 AND u."seriesId" = a."seriesId" AND u."periodStart" = a."periodStart" AND u."periodStart" BETWEEN $2 AND $3
         RETURNING u.*),
       d AS (
         INSERT INTO usage_delta SELECT "seriesId", "periodStart"::date, -sum("inputTokens"), -sum("outputTokens"), -sum("cachedInputTokens"), -sum(requests), -sum("costUsd"), -count(*), -count("costUsd")
         FROM gone GROUP BY 1, 2)
       SELECT count(*) AS n FROM gone`,
      [seq, ...bounds],
    );
    await c.query(`INSERT INTO "UsageRecord" (${COLUMNS}) SELECT "seriesId", "periodStart", i, o, c, r, cost, $1 FROM side_agg`, [seq]);
    const fresh = await c.query<{ n: string }>(
      `WITH f AS (SELECT "seriesId", "periodStart"::date AS day, count(*) FILTER (WHERE NOT merged) AS n, count(cost) AS cn FROM side_agg GROUP BY 1, 2),
       d AS (INSERT INTO usage_delta SELECT "seriesId", day, 0, 0, 0, 0, NULL, n, cn FROM f)
       SELECT coalesce(sum(n), 0) AS n FROM f`,
    );
    return { replaced: Number(gone.rows[0].n), sideRecords: Number(fresh.rows[0].n) };
  }

  /** A statement in the import's transaction (the Import row, the audit event). */
  async query(sql: string, params: unknown[]) {
    return this.client.query(sql, params);
  }

  async commit() {
    await this.client.query("COMMIT");
    this.close(false);
  }

  async rollback() {
    try {
      await this.client.query("ROLLBACK");
      this.close(false);
    } catch {
      this.close(true);
    }
  }

  /** Mid-COPY the connection cannot take a ROLLBACK; dropping it makes PostgreSQL abort the transaction. */
  abort() {
    this.copy.on("error", () => undefined);
    this.copy.destroy();
    this.side?.destroy();
    this.close(true);
  }

  private close(destroyConnection: boolean) {
    if (this.closed) return;
    this.closed = true;
    if (this.sideDir) rmSync(this.sideDir, { recursive: true, force: true });
    this.sideDir = null;
    this.client.release(destroyConnection);
  }
}

const seriesKey = (teamId: string, modelId: string, granularity: Granularity) => `${teamId}\u0001${modelId}\u0001${granularity}`;

const newSeries = (id: number, teamId: string, modelId: string, granularity: Granularity, storedLo: number | null, storedHi: number | null): Series => ({
  id, teamId, modelId, granularity, storedLo, storedHi, fileLo: Infinity, fileHi: -Infinity, written: new PeriodSet(),
});

/** Takes 64 ids from the UsageSeries sequence (on the import's connection before the COPY, or any other). */
async function reserveSeriesIds(db: Pick<PoolClient, "query">): Promise<number[]> {
  const r = await db.query<{ id: number }>(`SELECT nextval(pg_get_serial_sequence('"UsageSeries"', 'id'))::int AS id FROM generate_series(1, 64)`);
  return r.rows.map((x) => x.id);
}

/** A COPY's 'finish' fires inside pg's ReadyForQuery handler: let pg mark the connection idle before the next query. */
const copyDone = () => new Promise((r) => setImmediate(r));

/**
 * What a killed import leaves outside its (rolled back) transaction: progress rows it stopped updating and
 * spool folders in the temp directory. Anything an hour old or more is removed (the hourly job).
 */
export async function pruneImportLeftovers(now: Date) {
  const cutoff = new Date(now.getTime() - HOUR_MS);
  const progress = await prisma.importProgress.deleteMany({ where: { updatedAt: { lt: cutoff } } });
  let spools = 0;
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(SPOOL_PREFIX)) continue;
    const dir = path.join(tmpdir(), name);
    try {
      if (statSync(dir).mtime < cutoff) {
        rmSync(dir, { recursive: true, force: true });
        spools++;
      }
    } catch {
      // removed meanwhile by its own import
    }
  }
  return { progressRows: progress.count, spoolFolders: spools };
}
