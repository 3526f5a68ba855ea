import { mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { csvLine } from "@/lib/domain/csv";
import { prisma } from "@/lib/db/client";
import { applicationName, pgPool } from "@/lib/db/pg";
import { instanceId, log } from "@/lib/log";
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

/**
 * A progress row is alive while its import reports progress (updatedAt) or its web process heartbeats it
 * (heartbeatAt, every PROGRESS_HEARTBEAT_MS): one silent for PROGRESS_STALE_MS belongs to a dead import.
 */
export const PROGRESS_HEARTBEAT_MS = 10_000;
export const PROGRESS_STALE_MS = 60_000;

export async function importProgress(ctx: Ctx, uploadId: string, now = new Date()) {
  const p = await prisma.importProgress.findFirst({ where: { uploadId, organizationId: ctx.orgId } });
  if (!p) throw notFound("Upload in progress");
  if (Math.max(p.updatedAt.getTime(), p.heartbeatAt.getTime()) < now.getTime() - PROGRESS_STALE_MS) {
    // its import died with its process: the row expires here rather than reporting "in progress" until the prune
    await prisma.importProgress.deleteMany({ where: { uploadId, organizationId: ctx.orgId, updatedAt: p.updatedAt, heartbeatAt: p.heartbeatAt } });
    throw notFound("Upload in progress");
  }
  return { uploadId, rowsProcessed: p.rowsProcessed, bytesProcessed: p.bytesProcessed, updatedAt: p.updatedAt };
}

/** Keeps this process's in-progress rows alive: its progress writes go through pgPool, whose application_name is the row's owner. */
export async function heartbeatImportProgress(): Promise<number> {
  const r = await pgPool().query(`UPDATE "ImportProgress" SET "heartbeatAt" = now() WHERE owner = $1`, [applicationName()]);
  return r.rowCount ?? 0;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
};

/**
 * Deletes progress rows written by an earlier life of this instance (same role and instance, a pid that is no longer
 * running here): they can never finish. Rows of live processes, and of other instances, are left to their heartbeat.
 */
export async function removeDeadOwnersProgress(): Promise<number> {
  const me = applicationName();
  const prefix = me.slice(0, me.lastIndexOf(":") + 1);
  const { rows } = await pgPool().query<{ owner: string }>(`SELECT DISTINCT owner FROM "ImportProgress" WHERE left(owner, length($1)) = $1 AND owner <> $2`, [prefix, me]);
  const dead = rows.map((r) => r.owner).filter((o) => {
    const pid = Number(o.slice(prefix.length));
    return Number.isInteger(pid) && !alive(pid);
  });
  if (!dead.length) return 0;
  const r = await pgPool().query(`DELETE FROM "ImportProgress" WHERE owner = ANY($1)`, [dead]);
  return r.rowCount ?? 0;
}

const SPOOL_ROOT_PREFIX = "tokenhedge-web-";
const SPOOL_PREFIX = "th-usage-spool-";
const SPOOL_MAX_AGE_MS = 3_600_000;

/**
 * Removes spool folders nobody will come back for, under base (the temp directory this process started with):
 * per-process spool roots of processes that are gone (and this process's own root from a previous life with the same
 * pid, when starting), and, inside the own root, spool folders older than an hour (what the worker's hourly prune
 * does for its own disk).
 */
export function cleanSpools(base: string, ownRoot: string, starting: boolean): number {
  let removed = 0;
  const rm = (dir: string) => {
    rmSync(dir, { recursive: true, force: true });
    removed++;
  };
  for (const name of readdirSync(base)) {
    if (!name.startsWith(SPOOL_ROOT_PREFIX)) continue;
    const dir = path.join(base, name);
    const pid = Number(name.slice(name.lastIndexOf("-") + 1));
    if (dir === ownRoot ? starting : !(Number.isInteger(pid) && alive(pid))) rm(dir);
  }
  try {
    for (const name of readdirSync(ownRoot)) {
      const dir = path.join(ownRoot, name);
      if (name.startsWith(SPOOL_PREFIX) && statSync(dir).mtimeMs < Date.now() - SPOOL_MAX_AGE_MS) rm(dir);
    }
  } catch {
    // no own root yet
  }
  return removed;
}

/**
 * A web instance's clean-up of what its imports leave outside the database when killed (scripts/web-server.ts
 * calls it once, before serving). Imports spool under a temp directory of this process's own
 * (<tmp>/tokenhedge-web-<instance>-<pid>, set as TMPDIR), so "its own spool" is exact even when instances share a
 * disk; on start-up and every PROGRESS_HEARTBEAT_MS it removes dead processes' spools and heartbeats its live
 * progress rows. Progress rows of this instance's previous life are deleted at once.
 */
export function startWebHousekeeping(): () => void {
  const base = tmpdir();
  const ownRoot = path.join(base, `${SPOOL_ROOT_PREFIX}${instanceId.replace(/[^\w.]+/g, "_")}-${process.pid}`);
  const spools = cleanSpools(base, ownRoot, true);
  mkdirSync(ownRoot, { recursive: true });
  process.env.TMPDIR = ownRoot;
  void removeDeadOwnersProgress()
    .then((rows) => log.info({ spools, progressRows: rows, tmpdir: ownRoot }, "web housekeeping: leftovers of earlier runs removed"))
    .catch((e) => log.warn({ err: e }, "web housekeeping: could not remove earlier progress rows"));
  const timer = setInterval(() => {
    cleanSpools(base, ownRoot, false);
    heartbeatImportProgress().catch((e) => log.warn({ err: e }, "import progress heartbeat failed"));
  }, PROGRESS_HEARTBEAT_MS);
  timer.unref();
  return () => clearInterval(timer);
}
