/**
 * Usage connectors: an admin registers a provider's admin key and a start date; a daily job (and "Sync now")
 * pulls the provider's organization usage API and feeds it through the same import path as an uploaded export
 * (importUsage), so team mappings, model resolution, dedupe, replacement, rollups, read models and audit behave
 * exactly as for a file. Days already imported with the same content are skipped (ConnectorSyncDay), so a
 * re-sync of unchanged days writes nothing.
 */
import { Readable } from "node:stream";
import type { z } from "zod";
import { prisma } from "@/lib/db/client";
import { onUnique } from "@/lib/db/errors";
import type { Ctx } from "@/lib/auth/context";
import { AppError, badRequest, conflict, notFound } from "@/lib/errors";
import { log } from "@/lib/log";
import { addDays, parseDay, utcDay } from "@/lib/domain/time";
import { enqueue, enqueueAfterImport, JOBS } from "@/lib/jobs/queue";
import type { UsageConnector, ConnectorSyncRun } from "@/lib/generated/prisma/client";
import type { ConnectorProvider } from "@/lib/generated/prisma/enums";
import { cleanDays, dayBlocks, syncFile } from "@/lib/connectors/day-files";
import { ConnectorError, DEFAULT_BASE_URL, EXPORT_COLUMNS, fetchUsage } from "@/lib/connectors/usage-api";
import type { createConnectorSchema, updateConnectorSchema } from "@/lib/connectors/schemas";
import { audit } from "../audit";
import { importUsage, type ImportSummary } from "../usage-import";
import { openSecret, sealSecret, secretHint } from "./secret-box";

/** Each sync fetches again the last days it imported: providers add late usage to recent buckets. */
export const LOOKBACK_DAYS = 2;
/** Days with skipped rows (unmapped project, unknown model) are fetched again on later syncs, for at most this long. */
export const RETRY_SKIPPED_DAYS = 31;
const ABANDONED = "abandoned: the worker running it stopped";

const isoDay = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);
const providerLabel = (p: ConnectorProvider) => (p === "OPENAI" ? "OpenAI" : "Anthropic");

/** The connector's own base URL, else CONNECTOR_OPENAI_BASE_URL / CONNECTOR_ANTHROPIC_BASE_URL, else the provider's. */
export function effectiveBaseUrl(c: Pick<UsageConnector, "provider" | "baseUrl">): string {
  return c.baseUrl || process.env[`CONNECTOR_${c.provider}_BASE_URL`] || DEFAULT_BASE_URL[c.provider];
}

function view(c: UsageConnector) {
  return {
    id: c.id,
    provider: c.provider,
    name: c.name,
    keyHint: c.keyHint,
    baseUrl: c.baseUrl,
    effectiveBaseUrl: effectiveBaseUrl(c),
    startDate: isoDay(c.startDate)!,
    enabled: c.enabled,
    syncedThrough: isoDay(c.syncedThrough),
    lastSyncAt: c.lastSyncAt?.toISOString() ?? null,
    lastError: c.lastError,
    createdAt: c.createdAt.toISOString(),
  };
}
export type ConnectorView = ReturnType<typeof view>;

function runView(r: ConnectorSyncRun) {
  return {
    id: r.id,
    trigger: r.trigger,
    status: r.status,
    startedAt: r.startedAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
    fromDay: isoDay(r.fromDay),
    toDay: isoDay(r.toDay),
    days: r.days,
    daysChanged: r.daysChanged,
    requests: r.requests,
    rowsFetched: r.rowsFetched,
    rowsImported: r.rowsImported,
    rowsRejected: r.rowsRejected,
    importId: r.importId,
    message: r.message,
    error: r.error,
  };
}
export type SyncRunView = ReturnType<typeof runView>;

async function owned(ctx: Ctx, id: string) {
  const c = await prisma.usageConnector.findFirst({ where: { id, organizationId: ctx.orgId } });
  if (!c) throw notFound("Connector");
  return c;
}

export async function listConnectors(ctx: Ctx) {
  const rows = await prisma.usageConnector.findMany({
    where: { organizationId: ctx.orgId },
    orderBy: { createdAt: "asc" },
    include: { runs: { orderBy: { startedAt: "desc" }, take: 5 } },
  });
  return rows.map(({ runs, ...c }) => ({ ...view(c), recentRuns: runs.map(runView) }));
}

export async function getConnector(ctx: Ctx, id: string) {
  return view(await owned(ctx, id));
}

export async function createConnector(ctx: Ctx, input: z.output<typeof createConnectorSchema>) {
  return prisma.$transaction(async (tx) => {
    const c = await onUnique(
      tx.usageConnector.create({
        data: {
          organizationId: ctx.orgId,
          provider: input.provider,
          name: input.name,
          keyCiphertext: sealSecret(input.adminKey, ctx.orgId),
          keyHint: secretHint(input.adminKey),
          baseUrl: input.baseUrl ?? null,
          startDate: parseDay(input.startDate),
          createdById: ctx.actorId,
        },
      }),
      `A connector named "${input.name}" already exists`,
    );
    // never the key: its hint only
    await audit(tx, ctx, "connector.created", "UsageConnector", c.id, { provider: c.provider, name: c.name, keyHint: c.keyHint, startDate: input.startDate, baseUrl: c.baseUrl });
    return view(c);
  });
}

export async function updateConnector(ctx: Ctx, id: string, input: z.output<typeof updateConnectorSchema>) {
  return prisma.$transaction(async (tx) => {
    const c = await tx.usageConnector.findFirst({ where: { id, organizationId: ctx.orgId } });
    if (!c) throw notFound("Connector");
    // the stored key is never returned: it is not sent to a new address either (another admin or an ADMIN token
    // could otherwise point the connector at their own server and press Sync now) — a new base URL needs the key
    // (back to the provider's own address, null, does not)
    if (input.baseUrl && input.baseUrl !== c.baseUrl && !input.adminKey) {
      const message = "enter the admin key again to change the base URL (the stored key is never sent to a new address)";
      throw badRequest(`adminKey: ${message}`, [{ path: "body.adminKey", message }]);
    }
    const startDate = input.startDate ? parseDay(input.startDate) : undefined;
    const u = await onUnique(
      tx.usageConnector.update({
        where: { id: c.id },
        data: {
          name: input.name,
          enabled: input.enabled,
          ...(input.adminKey ? { keyCiphertext: sealSecret(input.adminKey, ctx.orgId), keyHint: secretHint(input.adminKey), lastError: null } : {}),
          ...(input.baseUrl !== undefined ? { baseUrl: input.baseUrl } : {}),
          // an earlier start date needs a backfill: the next sync starts over from it (unchanged days are skipped)
          ...(startDate ? { startDate, ...(startDate < c.startDate ? { syncedThrough: null } : {}) } : {}),
        },
      }),
      `A connector named "${input.name}" already exists`,
    );
    const changed = { ...input, ...(input.adminKey ? { adminKey: undefined, keyHint: u.keyHint } : {}) };
    await audit(tx, ctx, "connector.updated", "UsageConnector", c.id, changed);
    return view(u);
  });
}

/** Deleting a connector stops its syncs; the usage it imported stays (it is the organization's usage). */
export async function deleteConnector(ctx: Ctx, id: string) {
  return prisma.$transaction(async (tx) => {
    const c = await tx.usageConnector.findFirst({ where: { id, organizationId: ctx.orgId } });
    if (!c) throw notFound("Connector");
    await tx.usageConnector.delete({ where: { id: c.id } });
    await audit(tx, ctx, "connector.deleted", "UsageConnector", c.id, { provider: c.provider, name: c.name });
    return { deleted: true };
  });
}

export async function listSyncRuns(ctx: Ctx, id: string, page: number, pageSize: number) {
  const c = await owned(ctx, id);
  const where = { connectorId: c.id, organizationId: ctx.orgId };
  const [rows, total] = await prisma.$transaction([
    prisma.connectorSyncRun.findMany({ where, orderBy: { startedAt: "desc" }, skip: (page - 1) * pageSize, take: pageSize }),
    prisma.connectorSyncRun.count({ where }),
  ]);
  return { rows: rows.map(runView), total, page, pageSize };
}

/** "Sync now": queues this connector's sync in the worker (one queued per connector). */
export async function requestSync(ctx: Ctx, id: string) {
  const c = await owned(ctx, id);
  if (!c.enabled) throw conflict("This connector is disabled: enable it before syncing");
  await enqueue(JOBS.syncConnectors, { orgId: ctx.orgId, connectorId: c.id, reason: "manual" });
  await audit(prisma, ctx, "connector.syncRequested", "UsageConnector", c.id, { name: c.name });
  return { queued: true, connectorId: c.id };
}

export type SyncOutcome = {
  connectorId: string;
  status: "SUCCEEDED" | "FAILED";
  runId: string;
  fromDay: string;
  toDay: string;
  daysChanged: number;
  rowsImported: number;
  importStatus: ImportSummary["status"] | null;
  error: string | null;
};

/** Why an import skipped rows, in words an admin can act on. */
function skippedNote(s: ImportSummary): string {
  const parts: string[] = [];
  if (s.unknownTeams.length)
    parts.push(`unmapped ${s.unknownTeams.slice(0, 5).map((t) => `${t.source} ${t.value} (${t.rows} rows)`).join(", ")}${s.unknownTeams.length > 5 ? ", …" : ""} — map them under Admin → Mappings`);
  if (s.unknownModels.length)
    parts.push(`unknown models ${s.unknownModels.slice(0, 5).map((m) => `${m.model} (${m.rows} rows)`).join(", ")}${s.unknownModels.length > 5 ? ", …" : ""} — map them to catalog models`);
  return parts.join("; ");
}

/**
 * One sync of one connector, run by the worker under the connectors.sync × org run lock. Fetches
 * [from, tomorrow): from the start date on the first sync, else from LOOKBACK_DAYS before the last synced day;
 * today's partial bucket is imported too and replaced when it grows. Never throws for the provider's answers:
 * a refused key, a rate limit past its retries or an import over the error threshold is recorded on the run
 * and the connector (lastError) for the imports page.
 */
export async function syncConnector(orgId: string, connectorId: string, opts: { trigger: string; now?: Date }): Promise<SyncOutcome> {
  const now = opts.now ?? new Date();
  const c = await prisma.usageConnector.findFirst({ where: { id: connectorId, organizationId: orgId }, include: { organization: true } });
  if (!c) throw notFound("Connector");
  // holding the run lock, no other sync of this org is alive: a RUNNING row was left by a dead worker
  await prisma.connectorSyncRun.updateMany({ where: { connectorId: c.id, status: "RUNNING" }, data: { status: "FAILED", finishedAt: now, error: ABANDONED } });
  const today = utcDay(now);
  const to = addDays(today, 1);
  const resume = c.syncedThrough ? addDays(c.syncedThrough, 1 - LOOKBACK_DAYS) : c.startDate;
  const from = resume < c.startDate ? c.startDate : resume > today ? today : resume;
  const run = await prisma.connectorSyncRun.create({
    data: { connectorId: c.id, organizationId: orgId, trigger: opts.trigger.slice(0, 40), status: "RUNNING", startedAt: now, fromDay: from, toDay: today },
  });
  const base = { connectorId: c.id, runId: run.id, fromDay: isoDay(from)!, toDay: isoDay(today)! };
  const fail = async (error: string, extra: Partial<ConnectorSyncRun> = {}): Promise<SyncOutcome> => {
    await prisma.connectorSyncRun.update({ where: { id: run.id }, data: { ...extra, status: "FAILED", finishedAt: new Date(), error: error.slice(0, 2000) } });
    await prisma.usageConnector.update({ where: { id: c.id }, data: { lastSyncAt: now, lastError: error.slice(0, 2000) } });
    log.warn({ connectorId: c.id, orgId, error }, "connector sync failed");
    return { ...base, status: "FAILED", daysChanged: 0, rowsImported: 0, importStatus: (extra.importId ? "REJECTED" : null) as SyncOutcome["importStatus"], error };
  };

  let adminKey: string;
  try {
    adminKey = openSecret(c.keyCiphertext, orgId);
  } catch {
    return fail("The stored admin key cannot be decrypted (the encryption key of this installation changed): enter the admin key again.");
  }
  let fetched;
  try {
    fetched = await fetchUsage({ provider: c.provider, baseUrl: effectiveBaseUrl(c), adminKey, from, to, publicOnly: !!c.baseUrl });
  } catch (e) {
    if (e instanceof ConnectorError) return fail(e.message);
    throw e;
  }
  const counts = { requests: fetched.requests, rowsFetched: fetched.records.length };
  const blocks = dayBlocks(fetched.records);
  const stored = await prisma.connectorSyncDay.findMany({ where: { connectorId: c.id, day: { gte: from, lt: to } } });
  const file = syncFile(EXPORT_COLUMNS[c.provider], blocks, new Map(stored.map((d) => [isoDay(d.day)!, d.rowsHash])), run.id);

  let summary: ImportSummary | null = null;
  if (file.csv) {
    const ctx: Ctx = { orgId, orgName: c.organization.name, isDemo: c.organization.isDemo, actorId: null, actorName: `connector "${c.name}"`, role: "ADMIN", teamId: null };
    const days = file.changed.map((b) => b.day);
    try {
      summary = await importUsage(ctx, {
        fileName: `${providerLabel(c.provider)} connector "${c.name}" ${days[0]}…${days[days.length - 1]}.csv`,
        body: Readable.from([Buffer.from(file.csv, "utf8")]),
        mode: "commit",
        onErrors: "import-valid",
      });
    } catch (e) {
      if (e instanceof AppError) return fail(`Import failed: ${e.message}`, counts);
      throw e;
    }
  }
  const runCounts = { ...counts, days: blocks.length, daysChanged: file.changed.length, rowsImported: summary?.rowsAccepted ?? 0, rowsRejected: summary?.rowsRejected ?? 0, importId: summary?.importId ?? null };
  if (summary?.status === "REJECTED") {
    const note = skippedNote(summary);
    return fail(`${summary.message}${note ? `: ${note}` : ""}`, { ...runCounts, rowsImported: 0, message: summary.message.slice(0, 2000) });
  }

  // Days whose rows all imported are remembered and skipped while unchanged; a day with skipped rows is fetched
  // again until it imports whole (for RETRY_SKIPPED_DAYS at most), so adding the missing mapping is enough.
  const clean = summary ? new Set(cleanDays(file, summary.errors, summary.rowsRejected)) : new Set<string>();
  const skippedDays = file.changed.map((b) => b.day).filter((d) => !clean.has(d));
  const yesterday = addDays(today, -1);
  let syncedThrough = yesterday < from ? c.syncedThrough : yesterday;
  if (skippedDays.length) {
    const retryFrom = addDays(parseDay(skippedDays[0]), LOOKBACK_DAYS - 1);
    const floor = addDays(today, -RETRY_SKIPPED_DAYS);
    const capped = retryFrom < floor ? floor : retryFrom;
    if (!syncedThrough || capped < syncedThrough) syncedThrough = capped;
  }
  const note = summary && summary.rowsRejected ? skippedNote(summary) : "";
  const message = summary ? `${summary.message}${note ? ` Skipped: ${note}.` : ""}` : file.changed.length === 0 && blocks.length ? "No day changed since the last sync: nothing imported." : "No usage in this period.";
  await prisma.$transaction([
    ...file.changed
      .filter((b) => clean.has(b.day))
      .map((b) =>
        prisma.connectorSyncDay.upsert({
          where: { connectorId_day: { connectorId: c.id, day: parseDay(b.day) } },
          create: { connectorId: c.id, day: parseDay(b.day), rowsHash: b.hash },
          update: { rowsHash: b.hash },
        }),
      ),
    prisma.connectorSyncRun.update({ where: { id: run.id }, data: { ...runCounts, status: "SUCCEEDED", finishedAt: new Date(), message: message.slice(0, 2000) } }),
    prisma.usageConnector.update({ where: { id: c.id }, data: { lastSyncAt: now, lastError: null, syncedThrough } }),
  ]);
  if (summary?.status === "COMPLETED") await enqueueAfterImport(orgId, "usage");
  return { ...base, status: "SUCCEEDED", daysChanged: file.changed.length, rowsImported: summary?.rowsAccepted ?? 0, importStatus: summary?.status ?? null, error: null };
}

/** The nightly sync of one organization: each enabled connector in turn; one failing does not stop the others. */
export async function syncOrgConnectors(orgId: string, opts: { trigger: string; now?: Date }) {
  const connectors = await prisma.usageConnector.findMany({ where: { organizationId: orgId, enabled: true }, select: { id: true }, orderBy: { createdAt: "asc" } });
  const outcomes: SyncOutcome[] = [];
  for (const c of connectors) outcomes.push(await syncConnector(orgId, c.id, opts));
  return { connectors: connectors.length, failed: outcomes.filter((o) => o.status === "FAILED").length, rowsImported: outcomes.reduce((s, o) => s + o.rowsImported, 0) };
}
