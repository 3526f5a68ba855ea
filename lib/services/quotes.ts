import { createHash } from "node:crypto";
import Decimal from "decimal.js";
import Papa from "papaparse";
import { prisma } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { AppError } from "@/lib/errors";
import { validateQuote } from "@/lib/domain/curve";
import { quoteInputSchema, type QuoteInputRow } from "@/lib/validation/quotes";
import { audit } from "./audit";

export type QuoteRowError = { line: number; column: string; reason: string };
export type QuoteImportResult = {
  status: "COMPLETED" | "REJECTED" | "DUPLICATE";
  importId: string | null;
  rowsTotal: number;
  rowsAccepted: number;
  errors: QuoteRowError[];
  message: string;
};

/** CSV header → API field. The CSV is the same shape as POST /api/v1/quotes, in snake_case. */
const CSV_COLUMNS: Record<string, keyof QuoteInputRow> = {
  as_of: "asOf",
  source: "source",
  source_type: "sourceType",
  kind: "kind",
  model_class: "modelClass",
  model: "model",
  delivery_month: "deliveryMonth",
  bid: "bid",
  ask: "ask",
  mid: "mid",
  quantity_tokens: "quantityTokens",
};
export const QUOTE_CSV_HEADER = Object.keys(CSV_COLUMNS).join(",");

export function parseQuotesCsv(text: string): Record<string, string>[] {
  const parsed = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ""), { header: true, skipEmptyLines: true, transformHeader: (h) => h.trim() });
  const fields = parsed.meta.fields ?? [];
  const missing = ["as_of", "source", "source_type", "model_class"].filter((c) => !fields.includes(c));
  if (missing.length) throw new AppError(422, "missing_columns", `Missing column(s): ${missing.join(", ")}. Expected header: ${QUOTE_CSV_HEADER}`);
  return parsed.data.map((r) => {
    const out: Record<string, string> = {};
    for (const [col, key] of Object.entries(CSV_COLUMNS)) if (r[col] !== undefined && r[col].trim() !== "") out[key] = r[col].trim();
    if (!out.kind) out.kind = out.deliveryMonth ? "FORWARD" : "SPOT_REALIZED";
    return out;
  });
}

/**
 * Imports a batch of quotes all-or-nothing: market data with holes would bend the curve silently, so one
 * bad row rejects the batch with every reason listed. The same content imported twice is a no-op.
 */
export async function importQuotes(ctx: Ctx, raw: Record<string, unknown>[], opts: { fileName: string; isDemo?: boolean; firstLine?: number }): Promise<QuoteImportResult> {
  const firstLine = opts.firstLine ?? 2;
  const fileHash = createHash("sha256").update(JSON.stringify(raw)).digest("hex");
  const previous = await prisma.import.findFirst({ where: { organizationId: ctx.orgId, kind: "QUOTES", fileHash, status: "COMPLETED" } });
  if (previous)
    return { status: "DUPLICATE", importId: previous.id, rowsTotal: raw.length, rowsAccepted: 0, errors: [], message: `These quotes were already imported on ${previous.createdAt.toISOString().slice(0, 10)}. Nothing changed.` };

  const classes = await prisma.modelClass.findMany({ where: { organizationId: ctx.orgId } });
  const classByKey = new Map(classes.map((c) => [c.key, c.id]));
  const models = await prisma.model.findMany({ where: { organizationId: ctx.orgId } });
  const modelByName = new Map(models.map((m) => [m.name.toLowerCase(), m]));
  const errors: QuoteRowError[] = [];
  const rows: {
    modelClassId: string; modelId: string | null; kind: QuoteInputRow["kind"]; source: string; sourceType: QuoteInputRow["sourceType"];
    deliveryMonth: Date | null; bidUsdPerMTokens: string | null; askUsdPerMTokens: string | null; midUsdPerMTokens: string; quantityTokens: bigint | null; asOf: Date;
  }[] = [];
  raw.forEach((r, i) => {
    const line = i + firstLine;
    const parsed = quoteInputSchema.safeParse(r);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) errors.push({ line, column: issue.path.join(".") || "row", reason: issue.message });
      return;
    }
    const q = parsed.data;
    const asOf = new Date(q.asOf);
    const blank = (v?: string) => (v === undefined || v === "" ? null : v);
    const bid = blank(q.bid), ask = blank(q.ask), mid = blank(q.mid);
    const problems = validateQuote({ kind: q.kind, deliveryMonth: q.deliveryMonth ?? null, bid, ask, mid, asOf });
    if (asOf.getTime() > Date.now() + 3_600_000) problems.push({ field: "as_of", reason: "quote time is in the future" });
    const classId = classByKey.get(q.modelClass);
    if (!classId) problems.push({ field: "model_class", reason: `unknown model class "${q.modelClass}"` });
    const model = q.model ? modelByName.get(q.model.toLowerCase()) : undefined;
    if (q.model && !model) problems.push({ field: "model", reason: `unknown model "${q.model}"` });
    if (model && classId && model.modelClassId !== classId) problems.push({ field: "model", reason: `${q.model} is not in class ${q.modelClass}` });
    if (problems.length) {
      for (const p of problems) errors.push({ line, column: p.field, reason: p.reason });
      return;
    }
    const midValue = bid !== null && ask !== null ? new Decimal(bid).plus(ask).div(2).toString() : mid!;
    rows.push({
      modelClassId: classId!, modelId: model?.id ?? null, kind: q.kind, source: q.source, sourceType: q.sourceType,
      deliveryMonth: q.deliveryMonth ? new Date(`${q.deliveryMonth}-01T00:00:00Z`) : null,
      bidUsdPerMTokens: bid, askUsdPerMTokens: ask,
      midUsdPerMTokens: midValue,
      quantityTokens: q.quantityTokens ? BigInt(q.quantityTokens) : null, asOf,
    });
  });

  if (errors.length) {
    const badQuotes = new Set(errors.map((e) => e.line)).size;
    const rec = await prisma.import.create({
      data: { organizationId: ctx.orgId, kind: "QUOTES", fileName: opts.fileName, fileHash, format: "quotes", status: "REJECTED", rowsTotal: raw.length, rowsRejected: badQuotes, errors: errors.slice(0, 1000), message: "Rejected: every quote in a batch must be valid", createdById: ctx.actorId, completedAt: new Date(), isDemo: !!opts.isDemo },
    });
    return { status: "REJECTED", importId: rec.id, rowsTotal: raw.length, rowsAccepted: 0, errors: errors.slice(0, 1000), message: `${badQuotes} of ${raw.length} quotes are invalid; nothing was imported.` };
  }

  // identical batches posted at once: the second waits on the lock and then finds the first (stored once)
  const stored = await prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`quotes:${ctx.orgId}:${fileHash}`}))`;
    const first = await tx.import.findFirst({ where: { organizationId: ctx.orgId, kind: "QUOTES", fileHash, status: "COMPLETED" } });
    if (first) return { duplicateOf: first };
    const imp = await tx.import.create({
      data: { organizationId: ctx.orgId, kind: "QUOTES", fileName: opts.fileName, fileHash, format: "quotes", status: "COMPLETED", rowsTotal: raw.length, rowsAccepted: rows.length, message: `Imported ${rows.length} quotes`, createdById: ctx.actorId, completedAt: new Date(), isDemo: !!opts.isDemo },
    });
    for (let i = 0; i < rows.length; i += 5000) {
      await tx.priceQuote.createMany({ data: rows.slice(i, i + 5000).map((r) => ({ ...r, organizationId: ctx.orgId, importId: imp.id })) });
    }
    await audit(tx, ctx, "quotes.imported", "Import", imp.id, { fileName: opts.fileName, rows: rows.length });
    return { importId: imp.id };
  }, { timeout: 120_000, maxWait: 60_000 });
  if ("duplicateOf" in stored && stored.duplicateOf)
    return { status: "DUPLICATE", importId: stored.duplicateOf.id, rowsTotal: raw.length, rowsAccepted: 0, errors: [], message: `These quotes were already imported on ${stored.duplicateOf.createdAt.toISOString().slice(0, 10)}. Nothing changed.` };
  const importId = (stored as { importId: string }).importId;
  return { status: "COMPLETED", importId, rowsTotal: raw.length, rowsAccepted: rows.length, errors: [], message: `Imported ${rows.length} quotes.` };
}

export async function listQuotes(ctx: Ctx, f: { modelClass?: string; kind?: "FORWARD" | "SPOT_LIST" | "SPOT_REALIZED"; page: number; pageSize: number }) {
  const where = {
    organizationId: ctx.orgId,
    ...(f.kind ? { kind: f.kind } : {}),
    ...(f.modelClass ? { modelClass: { key: f.modelClass } } : {}),
  };
  const [rows, total] = await prisma.$transaction([
    prisma.priceQuote.findMany({ where, orderBy: [{ asOf: "desc" }, { deliveryMonth: "asc" }], skip: (f.page - 1) * f.pageSize, take: f.pageSize, include: { modelClass: { select: { key: true, name: true } }, import: { select: { isDemo: true } } } }),
    prisma.priceQuote.count({ where }),
  ]);
  return { rows, total, page: f.page, pageSize: f.pageSize };
}
