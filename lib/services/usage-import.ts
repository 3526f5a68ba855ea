import { createHash, randomUUID } from "node:crypto";
import { once } from "node:events";
import { Readable, Transform } from "node:stream";
import Papa from "papaparse";
import { from as copyFrom } from "pg-copy-streams";
import type { PoolClient } from "pg";
import { pgPool } from "@/lib/db/pg";
import { prisma } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { readSettings } from "@/lib/validation/settings";
import {
  detectFormat,
  flattenJsonExport,
  mapperFor,
  REQUIRED_COLUMNS,
  type Getter,
  type NormalizedUsage,
  type RowError,
  type UsageFormat,
} from "@/lib/domain/usage-formats";

export const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;
const MAX_JSON_BYTES = 256 * 1024 * 1024;
const MAX_REPORTED_ERRORS = 1000;

export type ImportMode = "validate" | "commit";
export type OnErrors = "import-valid" | "reject";

export type ImportSummary = {
  status: "VALID" | "COMPLETED" | "REJECTED" | "DUPLICATE";
  importId: string | null;
  duplicateOf: string | null;
  fileHash: string;
  format: UsageFormat;
  rowsTotal: number;
  rowsAccepted: number;
  rowsRejected: number;
  rowsReplaced: number;
  errors: RowError[];
  unknownModels: { provider: string; model: string; rows: number }[];
  unknownTeams: { source: string; value: string; rows: number }[];
  message: string;
};

type Resolver = { team: (r: NormalizedUsage) => string | undefined; model: (r: NormalizedUsage) => string | undefined };

async function loadResolver(orgId: string): Promise<Resolver> {
  const [teams, mappings, aliases, models] = await Promise.all([
    prisma.team.findMany({ where: { organizationId: orgId }, select: { id: true, name: true } }),
    prisma.teamMapping.findMany({ where: { organizationId: orgId } }),
    prisma.modelAlias.findMany({ where: { organizationId: orgId } }),
    prisma.model.findMany({ where: { organizationId: orgId }, include: { provider: true } }),
  ]);
  const teamByName = new Map(teams.map((t) => [t.name.toLowerCase(), t.id]));
  const teamByMapping = new Map(mappings.map((m) => [`${m.source}:${m.externalId}`, m.teamId]));
  const modelByKey = new Map<string, string>();
  for (const m of models) modelByKey.set(`${m.provider.name.toLowerCase()}/${m.name.toLowerCase()}`, m.id);
  const aliasMap = new Map(aliases.map((a) => [a.alias.toLowerCase(), a.modelId]));
  return {
    team: (r) =>
      r.team.source === "NAME"
        ? teamByName.get(r.team.value.toLowerCase())
        : (teamByMapping.get(`${r.team.source}:${r.team.value}`) ?? teamByName.get(r.team.value.toLowerCase())),
    model: (r) =>
      modelByKey.get(`${r.provider.toLowerCase()}/${r.model.toLowerCase()}`) ??
      aliasMap.get(`${r.provider.toLowerCase()}/${r.model.toLowerCase()}`) ??
      aliasMap.get(r.model.toLowerCase()),
  };
}

type Rows = { format: UsageFormat; rows: AsyncIterable<{ get: Getter; line: number }> };

/** Reads the first bytes to tell JSON from CSV, then yields records one at a time (CSV is streamed, never held whole). */
async function openRows(input: Readable): Promise<Rows> {
  const it = input[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) throw new AppError(422, "empty_file", "The file is empty");
  const head = Buffer.from(first.value as Buffer);
  const rest = Readable.from((async function* () {
    yield head;
    for (let n = await it.next(); !n.done; n = await it.next()) yield n.value as Buffer;
  })());
  const firstChar = head.toString("utf8", 0, Math.min(head.length, 64)).replace(/^\uFEFF/, "").trimStart()[0];
  if (firstChar === "{" || firstChar === "[") return openJson(rest);
  return openCsv(rest);
}

async function openJson(input: Readable): Promise<Rows> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of input) {
    size += (c as Buffer).length;
    if (size > MAX_JSON_BYTES) throw new AppError(413, "too_large", "JSON exports over 256 MB are not supported; export CSV instead");
    chunks.push(c as Buffer);
  }
  let records: Record<string, string>[];
  try {
    records = flattenJsonExport(JSON.parse(Buffer.concat(chunks).toString("utf8")));
  } catch (e) {
    throw new AppError(422, "bad_json", `Not a usage export: ${(e as Error).message}`);
  }
  if (!records.length) throw new AppError(422, "empty_file", "The export has no usage buckets");
  const format = detectFormat(Object.keys(records[0]));
  if (format !== "openai" && format !== "anthropic")
    throw new AppError(422, "unknown_format", "JSON must be an OpenAI completions usage or Anthropic usage report export");
  return {
    format,
    rows: (async function* () {
      for (let i = 0; i < records.length; i++) yield { get: (c: string) => records[i][c], line: i + 1 };
    })(),
  };
}

/**
 * Streams CSV rows in batches: papaparse's chunk callback with pause/resume, so a slow consumer (COPY
 * backpressure) pauses the file instead of buffering it. (papaparse's NODE_STREAM_INPUT duplex was measured
 * at ~250× slower for large files.)
 */
async function* csvBatches(input: Readable): AsyncGenerator<string[][]> {
  const queue: string[][][] = [];
  let done = false;
  let failure: unknown = null;
  let wake: (() => void) | null = null;
  let parser: Papa.Parser | null = null;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  Papa.parse(input as unknown as File, {
    skipEmptyLines: true,
    chunkSize: 1 << 20,
    chunk: (res: Papa.ParseResult<string[]>, p: Papa.Parser) => {
      parser = p;
      p.pause();
      queue.push(res.data);
      notify();
    },
    complete: () => {
      done = true;
      notify();
    },
    error: (e: Error) => {
      failure = e;
      notify();
    },
  });
  input.on("error", (e) => {
    failure = e;
    notify();
  });
  while (true) {
    if (failure) throw failure;
    const batch = queue.shift();
    if (batch) {
      yield batch;
      (parser as Papa.Parser | null)?.resume();
      continue;
    }
    if (done) return;
    await new Promise<void>((r) => (wake = r));
  }
}

async function openCsv(input: Readable): Promise<Rows> {
  const batches = csvBatches(input);
  let pending: string[][] = [];
  let header: string[] | null = null;
  while (!header) {
    const n = await batches.next();
    if (n.done) throw new AppError(422, "empty_file", "The file is empty");
    pending = n.value;
    if (pending.length) header = pending.shift()!.map((h) => h.trim().replace(/^\uFEFF/, ""));
  }
  const format = detectFormat(header);
  if (!format)
    throw new AppError(
      422,
      "unknown_format",
      `Unrecognised header "${header.slice(0, 8).join(",")}". Expected Tokenhedge CSV (date,team,provider,model,input_tokens,output_tokens), FOCUS, OpenAI or Anthropic usage export.`,
    );
  const missing = REQUIRED_COLUMNS[format].filter((c) => !header!.includes(c));
  if (missing.length) throw new AppError(422, "missing_columns", `Missing column(s) for ${format} format: ${missing.join(", ")}`);
  const index = new Map(header.map((h, i) => [h, i]));
  return {
    format,
    rows: (async function* () {
      let line = 1;
      for (let batch: string[][] | null = pending; batch; ) {
        for (const cells of batch) {
          line++;
          yield { get: (c: string) => { const i = index.get(c); return i === undefined ? undefined : cells[i]; }, line };
        }
        const n = await batches.next();
        batch = n.done ? null : n.value;
      }
    })(),
  };
}

const esc = (s: string) => s.replace(/[\\\t\n\r]/g, " ");

/**
 * Streams one usage file into PostgreSQL: parse → validate/map → COPY into a temp staging table, all in one
 * transaction, then one INSERT … SELECT … ON CONFLICT upsert. A crash or a cancelled upload leaves no rows.
 * mode "validate" does everything but write, so the UI can show errors and unknown models first.
 */
export async function importUsage(
  ctx: Ctx,
  opts: { fileName: string; body: Readable; mode: ImportMode; onErrors: OnErrors; isDemo?: boolean; uploadId?: string },
): Promise<ImportSummary> {
  const org = await prisma.organization.findUniqueOrThrow({ where: { id: ctx.orgId } });
  const settings = readSettings(org.settings);
  const resolver = await loadResolver(ctx.orgId);
  const hash = createHash("sha256");
  let bytes = 0;
  const hashing = new Transform({
    transform(chunk: Buffer, _e, cb) {
      bytes += chunk.length;
      if (bytes > MAX_UPLOAD_BYTES) return cb(new AppError(413, "too_large", "Files over 512 MB are not supported"));
      hash.update(chunk);
      cb(null, chunk);
    },
  });
  opts.body.on("error", (e) => hashing.destroy(e));
  const { format, rows } = await openRows(opts.body.pipe(hashing));

  const write = opts.mode === "commit";
  let client: PoolClient | null = null;
  let copy: ReturnType<typeof copyFrom> | null = null;
  if (write) {
    client = await pgPool().connect();
    await client.query("BEGIN");
    await client.query(
      `CREATE TEMP TABLE usage_stage (team_id text, model_id text, granularity text, period_start timestamp, input bigint, output bigint, cached bigint, requests bigint, cost numeric) ON COMMIT DROP`,
    );
    copy = client.query(copyFrom("COPY usage_stage FROM STDIN"));
  }

  const errors: RowError[] = [];
  let rowsTotal = 0;
  let rowsRejected = 0;
  const unknownModels = new Map<string, { provider: string; model: string; rows: number }>();
  const unknownTeams = new Map<string, { source: string; value: string; rows: number }>();
  const reject = (errs: RowError[]) => {
    rowsRejected++;
    for (const e of errs) if (errors.length < MAX_REPORTED_ERRORS) errors.push(e);
  };
  const mapRow = mapperFor(format, settings.focus);
  const started = Date.now();
  const progress = progressReporter(ctx.orgId, opts.uploadId);
  let buf = "";
  try {
    for await (const { get, line } of rows) {
      rowsTotal++;
      if (rowsTotal % PROGRESS_EVERY === 0) progress.report(rowsTotal, bytes);
      const r = mapRow(get, line);
      if (!r.ok) {
        reject(r.errors);
        continue;
      }
      const row = r.row;
      const teamId = resolver.team(row);
      const modelId = resolver.model(row);
      if (!teamId || !modelId) {
        const errs: RowError[] = [];
        if (!teamId) {
          const k = `${row.team.source}:${row.team.value}`;
          const u = unknownTeams.get(k) ?? { source: row.team.source, value: row.team.value, rows: 0 };
          u.rows++;
          unknownTeams.set(k, u);
          errs.push({ line, column: "team", reason: `unknown team "${row.team.value}"${row.team.source === "NAME" ? "" : ` (${row.team.source})`}` });
        }
        if (!modelId) {
          const k = `${row.provider}/${row.model}`;
          const u = unknownModels.get(k) ?? { provider: row.provider, model: row.model, rows: 0 };
          u.rows++;
          unknownModels.set(k, u);
          errs.push({ line, column: "model", reason: `unknown model "${row.provider} ${row.model}": map it to a catalog model` });
        }
        reject(errs);
        continue;
      }
      if (copy) {
        buf += `${teamId}\t${modelId}\t${row.granularity}\t${row.periodStart.toISOString()}\t${row.inputTokens}\t${row.outputTokens}\t${row.cachedInputTokens}\t${row.requests}\t${row.costUsd === null ? "\\N" : esc(row.costUsd)}\n`;
        if (buf.length > 1 << 16) {
          if (!copy.write(buf)) await once(copy, "drain");
          buf = "";
        }
      }
    }
    if (copy) {
      copy.end(buf);
      await once(copy, "finish");
      // 'finish' fires inside pg's ReadyForQuery handler; let pg mark the connection idle before the next query
      await new Promise((r) => setImmediate(r));
    }
  } catch (e) {
    // Mid-COPY the connection cannot take a ROLLBACK; dropping it makes PostgreSQL abort the transaction.
    copy?.on("error", () => undefined);
    copy?.destroy();
    client?.release(true);
    await progress.done();
    throw e;
  }
  progress.report(rowsTotal, bytes);
  // From here the file is fully read; the progress row goes whatever the outcome.
  try {
    const streamedAt = Date.now();
    const fileHash = hash.digest("hex");
    const rowsAccepted = rowsTotal - rowsRejected;
    const base = {
      fileHash,
      format,
      rowsTotal,
      rowsRejected,
      errors,
      unknownModels: [...unknownModels.values()].sort((a, b) => b.rows - a.rows),
      unknownTeams: [...unknownTeams.values()].sort((a, b) => b.rows - a.rows),
    };

    const previous = await prisma.import.findFirst({
      where: { organizationId: ctx.orgId, kind: "USAGE", fileHash, status: "COMPLETED" },
      orderBy: { createdAt: "desc" },
    });
    if (previous) {
      if (client) await rollback(client);
      return {
        ...base,
        status: "DUPLICATE",
        importId: null,
        duplicateOf: previous.id,
        rowsAccepted: 0,
        rowsReplaced: 0,
        message: `This file was already imported on ${previous.createdAt.toISOString().slice(0, 16).replace("T", " ")} UTC (${previous.rowsAccepted} rows). Nothing changed.`,
      };
    }

    const errorPct = rowsTotal ? (rowsRejected / rowsTotal) * 100 : 0;
    let rejection: string | null = null;
    if (rowsTotal === 0) rejection = "The file has a header but no rows";
    else if (rowsRejected > 0 && opts.onErrors === "reject") rejection = `${rowsRejected} of ${rowsTotal} rows are invalid and you chose to reject the file`;
    else if (errorPct > settings.importErrorThresholdPct)
      rejection = `${errorPct.toFixed(1)}% of rows are invalid, over the organization's ${settings.importErrorThresholdPct}% threshold: the whole file is rejected`;

    if (!write) {
      return {
        ...base,
        status: rejection ? "REJECTED" : "VALID",
        importId: null,
        duplicateOf: null,
        rowsAccepted: rejection ? 0 : rowsAccepted,
        rowsReplaced: 0,
        message: rejection ?? `${rowsAccepted} of ${rowsTotal} rows are valid and ready to import`,
      };
    }

    if (rejection) {
      await rollback(client!);
      const rec = await prisma.import.create({
        data: {
          organizationId: ctx.orgId, kind: "USAGE", fileName: opts.fileName, fileHash, format, status: "REJECTED",
          rowsTotal, rowsAccepted: 0, rowsRejected, errors, message: rejection, createdById: ctx.actorId, completedAt: new Date(), isDemo: !!opts.isDemo,
        },
      });
      return { ...base, status: "REJECTED", importId: rec.id, duplicateOf: null, rowsAccepted: 0, rowsReplaced: 0, message: rejection };
    }

    const importId = randomUUID();
    try {
      const c = client!;
      await c.query(
        `INSERT INTO "Import" (id, "organizationId", kind, "fileName", "fileHash", format, status, "rowsTotal", "rowsAccepted", "rowsRejected", errors, "createdById", "isDemo")
         VALUES ($1,$2,'USAGE',$3,$4,$5,'PROCESSING',$6,$7,$8,$9,$10,$11)`,
        [importId, ctx.orgId, opts.fileName, fileHash, format, rowsTotal, rowsAccepted, rowsRejected, JSON.stringify(errors), ctx.actorId, !!opts.isDemo],
      );
      // Rows for the same team × model × period within one file are summed (FOCUS splits token kinds over rows);
      // a newer file replaces an older file's row for that key.
      const up = await c.query<{ replaced: string; written: string }>(
        `WITH up AS (
           INSERT INTO "UsageRecord" ("organizationId","teamId","modelId",granularity,"periodStart","inputTokens","outputTokens","cachedInputTokens",requests,"costUsd","importId")
           SELECT $1, team_id, model_id, granularity::"Granularity", period_start, sum(input), sum(output), sum(cached), sum(requests), sum(cost), $2
           FROM usage_stage GROUP BY team_id, model_id, granularity, period_start
           ON CONFLICT ("organizationId","teamId","modelId",granularity,"periodStart") DO UPDATE SET
             "inputTokens" = EXCLUDED."inputTokens", "outputTokens" = EXCLUDED."outputTokens",
             "cachedInputTokens" = EXCLUDED."cachedInputTokens", requests = EXCLUDED.requests,
             "costUsd" = EXCLUDED."costUsd", "importId" = EXCLUDED."importId"
           RETURNING (xmax <> 0) AS replaced)
         SELECT count(*) FILTER (WHERE replaced) AS replaced, count(*) AS written FROM up`,
        [ctx.orgId, importId],
      );
      const rowsReplaced = Number(up.rows[0].replaced);
      log.info({ importId, rowsTotal, streamMs: streamedAt - started, upsertMs: Date.now() - streamedAt }, "usage import timings");
      const message = `Imported ${rowsAccepted} rows (${up.rows[0].written} usage records${rowsReplaced ? `, ${rowsReplaced} replaced rows from earlier imports` : ""})${rowsRejected ? `; ${rowsRejected} invalid rows skipped` : ""}.`;
      await c.query(
        `UPDATE "Import" SET status='COMPLETED', "rowsReplaced"=$2, message=$3, "completedAt"=now() WHERE id=$1`,
        [importId, rowsReplaced, message],
      );
      await c.query(
        `INSERT INTO "AuditEvent" (id,"organizationId","actorId",action,entity,"entityId",data) VALUES ($1,$2,$3,'usage.imported','Import',$4,$5)`,
        [randomUUID(), ctx.orgId, ctx.actorId, importId, JSON.stringify({ fileName: opts.fileName, format, rowsAccepted, rowsRejected, rowsReplaced, actor: ctx.actorName })],
      );
      await c.query("COMMIT");
      c.release();
      return { ...base, status: "COMPLETED", importId, duplicateOf: null, rowsAccepted, rowsReplaced, message };
    } catch (e) {
      await rollback(client!);
      throw e;
    }
  } finally {
    await progress.done();
  }
}

const PROGRESS_EVERY = 25_000;

/**
 * Writes rows processed so far to ImportProgress on its own pooled connection (outside the import's
 * transaction), so the uploader's browser can poll it; writes are chained, never concurrent, and dropped
 * when the import ends. Without an uploadId it does nothing.
 */
function progressReporter(orgId: string, uploadId: string | undefined) {
  let chain: Promise<unknown> = Promise.resolve();
  const run = (sql: string, params: unknown[]) => {
    chain = chain.then(() => pgPool().query(sql, params)).catch((e) => log.warn({ err: e }, "import progress write failed"));
  };
  return {
    report(rows: number, bytes: number) {
      if (!uploadId) return;
      run(
        `INSERT INTO "ImportProgress" ("uploadId","organizationId","rowsProcessed","bytesProcessed","updatedAt") VALUES ($1,$2,$3,$4,now())
         ON CONFLICT ("uploadId") DO UPDATE SET "rowsProcessed" = EXCLUDED."rowsProcessed", "bytesProcessed" = EXCLUDED."bytesProcessed", "updatedAt" = now()
         WHERE "ImportProgress"."organizationId" = EXCLUDED."organizationId"`,
        [uploadId, orgId, rows, bytes],
      );
    },
    async done() {
      if (!uploadId) return;
      run(`DELETE FROM "ImportProgress" WHERE "uploadId" = $1 AND "organizationId" = $2`, [uploadId, orgId]);
      await chain;
    },
  };
}

async function rollback(client: PoolClient) {
  try {
    await client.query("ROLLBACK");
  } catch (e) {
    log.warn({ err: e }, "rollback failed");
  } finally {
    client.release();
  }
}
