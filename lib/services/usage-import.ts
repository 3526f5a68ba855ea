import { createHash, randomUUID } from "node:crypto";
import { Readable, Transform } from "node:stream";
import { pgPool } from "@/lib/db/pg";
import { prisma } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { readSettings } from "@/lib/validation/settings";
import { csvLine, echo } from "@/lib/domain/csv";
import { detach, mapperFor, type NormalizedUsage, type TeamRef, type RowError, type UsageFormat } from "@/lib/domain/usage-formats";
import { closestName } from "@/lib/ingest/closest";
import { cloudNameCandidates, splitDatedModel } from "@/lib/ingest/model-names";
import { addModelVersion } from "./catalog";
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
  /** invalid rows as a share of all rows (%, one decimal), and the organization's threshold it is held against */
  errorPct: number;
  errorThresholdPct: number;
  errors: RowError[];
  /** suggestion: the catalog model a cloud-hosted or deployment name most likely is, to offer as an alias */
  unknownModels: { provider: string; model: string; rows: number; suggestion?: ModelSuggestion }[];
  /** suggestion: the existing team whose name is closest to the unknown value, when one is close */
  unknownTeams: { source: string; value: string; rows: number; suggestion?: string }[];
  /** FOCUS files: the cost column the reported cost was taken from (org setting focus.costColumn); null otherwise */
  costColumn: string | null;
  /**
   * Dated snapshot names seen (e.g. gpt-4.1-2025-04-14 → gpt-4.1); isNew: not yet a version of the catalog model —
   * a committed import records it as a model version (drift), a check says it would.
   */
  snapshots: Snapshot[];
  message: string;
};

export type ModelSuggestion = { modelId: string; provider: string; model: string };
export type Snapshot = { provider: string; model: string; snapshot: string; date: string; isNew: boolean };
type ModelMatch = { modelId: string; snapshot: Snapshot | null };
type Resolver = {
  team: (r: NormalizedUsage) => string | undefined;
  model: (r: NormalizedUsage) => ModelMatch | undefined;
  /** for an unknown model: the catalog model its cloud-stripped name names, else the closest catalog name */
  suggestModel: (r: NormalizedUsage) => ModelSuggestion | undefined;
  teamNames: string[];
};

/**
 * Team and model lookups for one import. A model name resolves, in order, as a catalog name, an alias
 * ("provider/name" or "name"), a catalog version string, then — for dated snapshot names (`-YYYY-MM-DD`,
 * `-YYYYMMDD`) — through its undated base name the same way. A dated name that resolved to a differently named
 * catalog model is a snapshot of it; it is new unless one of the model's versions has that name, that date as
 * its version, or that effective date.
 */
async function loadResolver(orgId: string): Promise<Resolver> {
  const [teams, mappings, aliases, models, versions] = await Promise.all([
    prisma.team.findMany({ where: { organizationId: orgId }, select: { id: true, name: true } }),
    prisma.teamMapping.findMany({ where: { organizationId: orgId } }),
    prisma.modelAlias.findMany({ where: { organizationId: orgId } }),
    prisma.model.findMany({ where: { organizationId: orgId }, include: { provider: true } }),
    prisma.modelVersion.findMany({ where: { organizationId: orgId }, select: { modelId: true, version: true, effectiveFrom: true } }),
  ]);
  const teamByName = new Map(teams.map((t) => [t.name.toLowerCase(), t.id]));
  const teamByMapping = new Map(mappings.map((m) => [`${m.source}:${m.externalId}`, m.teamId]));
  const modelByKey = new Map<string, string>();
  const modelById = new Map(models.map((m) => [m.id, m]));
  for (const m of models) modelByKey.set(`${m.provider.name.toLowerCase()}/${m.name.toLowerCase()}`, m.id);
  const aliasMap = new Map(aliases.map((a) => [a.alias.toLowerCase(), a.modelId]));
  const versionMap = new Map(versions.map((v) => [v.version.toLowerCase(), v.modelId]));
  const knownVersion = new Set(versions.flatMap((v) => [`${v.modelId}|${v.version.toLowerCase()}`, `${v.modelId}|${v.effectiveFrom.toISOString().slice(0, 10)}`]));
  const byName = (provider: string, name: string) =>
    modelByKey.get(`${provider}/${name}`) ?? aliasMap.get(`${provider}/${name}`) ?? aliasMap.get(name) ?? versionMap.get(name);
  const modelsByName = new Map<string, string>();
  for (const m of models) if (!modelsByName.has(m.name.toLowerCase())) modelsByName.set(m.name.toLowerCase(), m.id);
  const suggestion = (modelId: string | undefined): ModelSuggestion | undefined => {
    const m = modelId ? modelById.get(modelId) : undefined;
    return m && { modelId: m.id, provider: m.provider.name, model: m.name };
  };
  return {
    teamNames: teams.map((t) => t.name),
    suggestModel: (r) => {
      for (const c of cloudNameCandidates(r.model)) {
        const id = modelsByName.get(c) ?? aliasMap.get(c) ?? versionMap.get(c);
        if (id) return suggestion(id);
      }
      const closest = closestName(r.model, models.map((m) => m.name));
      return suggestion(closest ? modelsByName.get(closest.toLowerCase()) : undefined);
    },
    team: (r) => {
      const one = (t: TeamRef) =>
        t.source === "NAME" ? teamByName.get(t.value.toLowerCase()) : (teamByMapping.get(`${t.source}:${t.value}`) ?? teamByName.get(t.value.toLowerCase()));
      return one(r.team) ?? (r.teamAlt && one(r.teamAlt));
    },
    model: (r) => {
      const provider = r.provider.toLowerCase();
      const name = r.model.toLowerCase();
      const dated = splitDatedModel(name);
      const modelId = byName(provider, name) ?? (dated ? byName(provider, dated.base) : undefined);
      if (!modelId) return undefined;
      const catalog = modelById.get(modelId)!;
      if (!dated || catalog.name.toLowerCase() === name) return { modelId, snapshot: null };
      const isNew = !knownVersion.has(`${modelId}|${name}`) && !knownVersion.has(`${modelId}|${dated.date}`);
      return { modelId, snapshot: { provider: catalog.provider.name, model: catalog.name, snapshot: detach(r.model), date: dated.date, isNew } };
    },
  };
}

/** The error report of a file as CSV (line, column, reason), as downloaded for a committed import. */
export function errorReportCsv(errors: RowError[]): string {
  return ["line,column,reason", ...errors.map((e) => csvLine([e.line, e.column, e.reason]))].join("\n") + "\n";
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
  const costColumn = format === "focus" ? settings.focus.costColumn : null;
  if (costColumn && !file.columns.includes(costColumn))
    throw new AppError(422, "missing_columns", `Missing column ${costColumn}: the organization takes FOCUS costs from it (setting focus.costColumn)`);
  const width = file.columns.length;

  const writer = opts.mode === "commit" ? await UsageWriter.open(ctx.orgId, format === "focus") : null;
  const errors: RowError[] = [];
  let rowsTotal = 0;
  let rowsRejected = 0;
  const unknownModels = new Map<string, ImportSummary["unknownModels"][number]>();
  const unknownTeams = new Map<string, { source: string; value: string; rows: number; suggestion?: string }>();
  const snapshots = new Map<string, Snapshot & { modelId: string }>();
  const reject = (errs: RowError[]) => {
    rowsRejected++;
    for (const e of errs) if (errors.length < MAX_REPORTED_ERRORS) errors.push(e);
  };
  // values echoed from the file are cut to MAX_ECHO characters (a 100,000-character name is not sent back whole)
  const unknown = (row: NormalizedUsage, line: number, teamId: string | undefined, modelId: string | undefined) => {
    const errs: RowError[] = [];
    if (!teamId) {
      const k = `${row.team.source}:${row.team.value}`;
      let u = unknownTeams.get(k);
      if (!u) {
        const suggestion = closestName(row.teamAlt?.value ?? row.team.value, resolver.teamNames) ?? (row.teamAlt ? closestName(row.team.value, resolver.teamNames) : null);
        u = { source: row.team.source, value: detach(echo(row.team.value)), rows: 0, ...(suggestion ? { suggestion } : {}) };
        unknownTeams.set(detach(k), u);
      }
      u.rows++;
      const alt = row.teamAlt ? ` or "${echo(row.teamAlt.value)}" (${row.teamAlt.source})` : "";
      const hint = u.suggestion ? `; closest team: "${u.suggestion}"` : "";
      errs.push({ line, column: "team", reason: detach(`unknown team "${echo(row.team.value)}"${row.team.source === "NAME" ? "" : ` (${row.team.source})`}${alt}${hint}`) });
    }
    if (!modelId) {
      const k = `${row.provider}/${row.model}`;
      let u = unknownModels.get(k);
      if (!u) {
        const suggestion = resolver.suggestModel(row);
        u = { provider: detach(echo(row.provider)), model: detach(echo(row.model)), rows: 0, ...(suggestion ? { suggestion } : {}) };
        unknownModels.set(detach(k), u);
      }
      u.rows++;
      errs.push({ line, column: "model", reason: detach(`unknown model "${echo(row.provider)} ${echo(row.model)}": map it to a catalog model`) });
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
    const match = resolver.model(row);
    const modelId = match?.modelId;
    if (teamId && match?.snapshot) {
      const k = `${match.modelId}|${match.snapshot.snapshot.toLowerCase()}`;
      if (!snapshots.has(k)) snapshots.set(detach(k), { ...match.snapshot, modelId: match.modelId });
    }
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
        const cells = batch[b];
        if (cells.length !== width) {
          reject([{ line, column: "row", reason: `${cells.length} fields, the header has ${width}` }]);
          continue;
        }
        const r = mapRow(cells, line);
        if (!r.ok) {
          reject(r.errors);
          continue;
        }
        let target = slot(r.row).get(r.row.granularity);
        if (target === undefined) target = await resolveTarget(r.row);
        if (target === null) unknown(r.row, line, resolver.team(r.row), resolver.model(r.row)?.modelId);
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
    const errorPct = rowsTotal ? (rowsRejected / rowsTotal) * 100 : 0;
    const seen = [...snapshots.values()];
    const base = {
      fileHash,
      format,
      rowsTotal,
      rowsRejected,
      errorPct: Math.round(errorPct * 10) / 10,
      errorThresholdPct: settings.importErrorThresholdPct,
      errors,
      unknownModels: [...unknownModels.values()].sort((a, b) => b.rows - a.rows),
      unknownTeams: [...unknownTeams.values()].sort((a, b) => b.rows - a.rows),
      costColumn,
      snapshots: seen.map(({ modelId: _m, ...s }) => s),
    };
    const costNote = costColumn ? ` Costs from ${costColumn}.` : "";

    const previous = await prisma.import.findFirst({
      where: { organizationId: ctx.orgId, kind: "USAGE", fileHash, status: "COMPLETED" },
      orderBy: { createdAt: "desc" },
    });
    // The same file is a no-op only when it would bring nothing new: after a mapping, alias or team was added for
    // rows it skipped before, it imports again (its rows replace the earlier import's, so nothing is counted twice).
    if (previous && rowsAccepted <= previous.rowsAccepted) {
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

    const threshold = settings.importErrorThresholdPct;
    const overThreshold = errorPct > threshold;
    let rejection: string | null = null;
    if (rowsTotal === 0) rejection = "The file has a header but no rows";
    else if (overThreshold) rejection = `${errorPct.toFixed(1)}% of rows are invalid, over the organization's ${threshold}% threshold: the whole file is rejected`;
    else if (rowsRejected > 0 && opts.onErrors === "reject" && writer) rejection = `${rowsRejected} of ${rowsTotal} rows are invalid and you chose to reject the file`;

    // A check applies the threshold as a commit does, whatever onErrors says: under it, the valid rows can be imported.
    if (!writer) {
      const newVersions = seen.filter((x) => x.isNew).map((x) => `${x.snapshot} (${x.model})`);
      const drift = newVersions.length ? ` New model versions would be recorded: ${newVersions.map(echo).join(", ")}.` : "";
      const message =
        rejection ??
        (rowsRejected
          ? `Would import ${rowsAccepted} valid rows: ${rowsRejected} of ${rowsTotal} rows (${errorPct.toFixed(1)}%) are invalid, within the organization's ${threshold}% threshold. Import the valid rows (onErrors=import-valid); rejecting on errors would reject the file.${drift}${costNote}`
          : `${rowsAccepted} of ${rowsTotal} rows are valid and ready to import.${drift}${costNote}`);
      return { ...base, status: rejection ? "REJECTED" : "VALID", importId: null, duplicateOf: null, rowsAccepted: rejection ? 0 : rowsAccepted, rowsReplaced: 0, message };
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
      const newVersions = seen.filter((x) => x.isNew);
      const drift = newVersions.length ? ` New model versions recorded: ${newVersions.map((x) => `${echo(x.snapshot)} (${x.model})`).join(", ")}.` : "";
      const message = `Imported ${rowsAccepted} rows (${records} usage records${rowsReplaced ? `, ${rowsReplaced} replaced rows from earlier imports` : ""})${rowsRejected ? `; ${rowsRejected} invalid rows skipped` : ""}.${drift}${costNote}`;
      await writer.query(
        `INSERT INTO "Import" (id, seq, "organizationId", kind, "fileName", "fileHash", format, status, "rowsTotal", "rowsAccepted", "rowsRejected", "rowsReplaced", errors, message, "createdById", "isDemo", "completedAt")
         VALUES ($1,$2,$3,'USAGE',$4,$5,$6,'COMPLETED',$7,$8,$9,$10,$11,$12,$13,$14,now())`,
        [importId, writer.importSeq, ctx.orgId, opts.fileName, fileHash, format, rowsTotal, rowsAccepted, rowsRejected, rowsReplaced, JSON.stringify(errors), message, ctx.actorId, !!opts.isDemo],
      );
      await writer.query(
        `INSERT INTO "AuditEvent" (id,"organizationId","actorId",action,entity,"entityId",data) VALUES ($1,$2,$3,'usage.imported','Import',$4,$5)`,
        [randomUUID(), ctx.orgId, ctx.actorId, importId, JSON.stringify({ fileName: opts.fileName, format, rowsAccepted, rowsRejected, rowsReplaced, actor: ctx.actorName })],
      );
      // the read models follow in this transaction when they were current (else readers fall back to the daily
      // path until the rollup job runs)
      const rolled = await writer.maintainReadModels();
      await writer.query(
        `UPDATE "Organization" SET "usageVersion" = "usageVersion" + 1,
                "usageRolledVersion" = CASE WHEN $2 THEN "usageVersion" + 1 ELSE "usageRolledVersion" END WHERE id = $1`,
        [ctx.orgId, rolled],
      );
      await writer.commit();
      await recordSnapshots(ctx, newVersions);
      return { ...base, status: "COMPLETED", importId, duplicateOf: null, rowsAccepted, rowsReplaced, message };
    } catch (e) {
      await writer.rollback();
      throw e;
    }
  } finally {
    await progress.done();
  }
}

/**
 * New snapshots seen in committed usage become model versions (drift) through the catalog's own path, which flags
 * open contracts of the class. After the import's commit: the usage stands even if a version cannot be added (one
 * added meanwhile for the same day is kept as it is).
 */
async function recordSnapshots(ctx: Ctx, snapshots: (Snapshot & { modelId: string })[]) {
  for (const s of snapshots) {
    try {
      await addModelVersion(ctx, s.modelId, { version: s.snapshot, effectiveFrom: s.date });
    } catch (e) {
      log.warn({ err: e, modelId: s.modelId, version: s.snapshot }, "usage import: snapshot not recorded as a model version");
    }
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
