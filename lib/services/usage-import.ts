import { createHash, randomUUID } from "node:crypto";
import { Readable, Transform } from "node:stream";
import { pgPool } from "@/lib/db/pg";
import { prisma } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { readSettings } from "@/lib/validation/settings";
import { detach, mapperFor, type NormalizedUsage, type TeamRef, type RowError, type UsageFormat } from "@/lib/domain/usage-formats";
import { openUsageFile } from "./usage-file";
import { UsageWriter, type Series } from "./usage-store";

export const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;
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
    team: (r) => {
      const one = (t: TeamRef) =>
        t.source === "NAME" ? teamByName.get(t.value.toLowerCase()) : (teamByMapping.get(`${t.source}:${t.value}`) ?? teamByName.get(t.value.toLowerCase()));
      return one(r.team) ?? (r.teamAlt && one(r.teamAlt));
    },
    model: (r) =>
      modelByKey.get(`${r.provider.toLowerCase()}/${r.model.toLowerCase()}`) ??
      aliasMap.get(`${r.provider.toLowerCase()}/${r.model.toLowerCase()}`) ??
      aliasMap.get(r.model.toLowerCase()),
  };
}

/**
 * Streams one usage file into PostgreSQL: parse → validate/map → COPY (UsageWriter), all in one transaction.
 * A crash or a cancelled upload leaves no rows.
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
  const file = await openUsageFile(opts.body.pipe(hashing));
  const format = file.format;

  const writer = opts.mode === "commit" ? await UsageWriter.open(ctx.orgId, format === "focus") : null;
  const errors: RowError[] = [];
  let rowsTotal = 0;
  let rowsRejected = 0;
  const unknownModels = new Map<string, { provider: string; model: string; rows: number }>();
  const unknownTeams = new Map<string, { source: string; value: string; rows: number }>();
  const reject = (errs: RowError[]) => {
    rowsRejected++;
    for (const e of errs) if (errors.length < MAX_REPORTED_ERRORS) errors.push(e);
  };
  const unknown = (row: NormalizedUsage, line: number, teamId: string | undefined, modelId: string | undefined) => {
    const errs: RowError[] = [];
    if (!teamId) {
      const k = `${row.team.source}:${row.team.value}`;
      const u = unknownTeams.get(k) ?? { source: row.team.source, value: detach(row.team.value), rows: 0 };
      u.rows++;
      if (u.rows === 1) unknownTeams.set(detach(k), u);
      const alt = row.teamAlt ? ` or "${row.teamAlt.value}" (${row.teamAlt.source})` : "";
      errs.push({ line, column: "team", reason: detach(`unknown team "${row.team.value}"${row.team.source === "NAME" ? "" : ` (${row.team.source})`}${alt}`) });
    }
    if (!modelId) {
      const k = `${row.provider}/${row.model}`;
      const u = unknownModels.get(k) ?? { provider: detach(row.provider), model: detach(row.model), rows: 0 };
      u.rows++;
      if (u.rows === 1) unknownModels.set(detach(k), u);
      errs.push({ line, column: "model", reason: detach(`unknown model "${row.provider} ${row.model}": map it to a catalog model`) });
    }
    reject(errs);
  };
  const mapRow = mapperFor(format, file.columns, settings.focus);
  // team (source + id) → provider → model → granularity → where the row goes: its series, "valid" when only
  // validating, null when the team or the model is unknown (nested maps: no key string built per row)
  const targets = new Map<string, Map<string, Map<string, Map<string, Series | "valid" | null>>>>();
  const slot = (row: NormalizedUsage) =>
    getOrAdd(getOrAdd(getOrAdd(targets, row.team.source === "NAME" ? row.team.value : `${row.team.source}:${row.team.value}${row.teamAlt ? `|${row.teamAlt.value}` : ""}`), row.provider), row.model);
  const resolveTarget = async (row: NormalizedUsage) => {
    const teamId = resolver.team(row);
    const modelId = resolver.model(row);
    const t = !teamId || !modelId ? null : writer ? await writer.seriesFor(teamId, modelId, row.granularity) : "valid";
    slot(row).set(row.granularity, t);
    return t;
  };
  const started = Date.now();
  const progress = progressReporter(ctx.orgId, opts.uploadId);
  try {
    for await (const batch of file.batches) {
      for (let b = 0; b < batch.length; b++) {
        rowsTotal++;
        const line = rowsTotal + file.headerLines;
        if (rowsTotal % PROGRESS_EVERY === 0) progress.report(rowsTotal, bytes);
        const r = mapRow(batch[b], line);
        if (!r.ok) {
          reject(r.errors);
          continue;
        }
        let target = slot(r.row).get(r.row.granularity);
        if (target === undefined) target = await resolveTarget(r.row);
        if (target === null) unknown(r.row, line, resolver.team(r.row), resolver.model(r.row));
        else if (target !== "valid") {
          const wait = writer!.write(target, r.row);
          if (wait) await wait;
        }
      }
    }
    await writer?.endRows();
  } catch (e) {
    writer?.abort();
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
      await writer?.rollback();
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

    if (!writer) {
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
      await writer.rollback();
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
      // Rows for the same team × model × period within one file are summed (FOCUS splits token kinds over rows);
      // a newer file replaces an older file's row for that key.
      const { records, replaced: rowsReplaced } = await writer.finish();
      log.info({ importId, rowsTotal, streamMs: streamedAt - started, finishMs: Date.now() - streamedAt }, "usage import timings");
      const message = `Imported ${rowsAccepted} rows (${records} usage records${rowsReplaced ? `, ${rowsReplaced} replaced rows from earlier imports` : ""})${rowsRejected ? `; ${rowsRejected} invalid rows skipped` : ""}.`;
      await writer.query(
        `INSERT INTO "Import" (id, seq, "organizationId", kind, "fileName", "fileHash", format, status, "rowsTotal", "rowsAccepted", "rowsRejected", "rowsReplaced", errors, message, "createdById", "isDemo", "completedAt")
         VALUES ($1,$2,$3,'USAGE',$4,$5,$6,'COMPLETED',$7,$8,$9,$10,$11,$12,$13,$14,now())`,
        [importId, writer.importSeq, ctx.orgId, opts.fileName, fileHash, format, rowsTotal, rowsAccepted, rowsRejected, rowsReplaced, JSON.stringify(errors), message, ctx.actorId, !!opts.isDemo],
      );
      await writer.query(
        `INSERT INTO "AuditEvent" (id,"organizationId","actorId",action,entity,"entityId",data) VALUES ($1,$2,$3,'usage.imported','Import',$4,$5)`,
        [randomUUID(), ctx.orgId, ctx.actorId, importId, JSON.stringify({ fileName: opts.fileName, format, rowsAccepted, rowsRejected, rowsReplaced, actor: ctx.actorName })],
      );
      // the monthly read model is now behind: readers fall back to the daily path until the rollup job runs
      await writer.query(`UPDATE "Organization" SET "usageVersion" = "usageVersion" + 1 WHERE id = $1`, [ctx.orgId]);
      await writer.commit();
      return { ...base, status: "COMPLETED", importId, duplicateOf: null, rowsAccepted, rowsReplaced, message };
    } catch (e) {
      await writer.rollback();
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

function getOrAdd<V>(m: Map<string, Map<string, V>>, k: string): Map<string, V> {
  let v = m.get(k);
  if (!v) m.set(detach(k), (v = new Map()));
  return v;
}
