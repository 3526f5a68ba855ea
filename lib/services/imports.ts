import { csvLine } from "@/lib/domain/csv";
import { prisma } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { notFound } from "@/lib/errors";

export async function listImports(ctx: Ctx, page: number, pageSize: number) {
  const where = { organizationId: ctx.orgId, kind: "USAGE" as const };
  const [rows, total] = await prisma.$transaction([
    prisma.import.findMany({ where, orderBy: { createdAt: "desc" }, skip: (page - 1) * pageSize, take: pageSize, omit: { errors: true } }),
    prisma.import.count({ where }),
  ]);
  const users = await prisma.user.findMany({ where: { id: { in: rows.map((r) => r.createdById).filter((x): x is string => !!x) } }, select: { id: true, name: true } });
  const names = new Map(users.map((u) => [u.id, u.name]));
  return { rows: rows.map((r) => ({ ...r, createdBy: r.createdById ? (names.get(r.createdById) ?? "removed user") : "system" })), total, page, pageSize };
}

export async function importErrorsCsv(ctx: Ctx, importId: string): Promise<{ fileName: string; csv: string }> {
  const imp = await prisma.import.findFirst({ where: { id: importId, organizationId: ctx.orgId } });
  if (!imp) throw notFound("Import");
  const errors = imp.errors as { line: number; column: string; reason: string }[];
  const csv = ["line,column,reason", ...errors.map((e) => csvLine([e.line, e.column, e.reason]))].join("\n") + "\n";
  return { fileName: `${imp.fileName.replace(/[^\w.-]+/g, "_")}-errors.csv`, csv };
}

export async function importProgress(ctx: Ctx, uploadId: string) {
  const p = await prisma.importProgress.findFirst({ where: { uploadId, organizationId: ctx.orgId } });
  if (!p) throw notFound("Upload in progress");
  return { uploadId, rowsProcessed: p.rowsProcessed, bytesProcessed: p.bytesProcessed, updatedAt: p.updatedAt };
}
