/**
 * Pure: turns fetched usage records into what one sync imports. Records are grouped by UTC day; each day's
 * lines are sorted, so the same usage always gives the same text and the same hash. Days whose hash equals the
 * one stored from the last import are left out (a re-sync of unchanged days imports nothing); the remaining
 * days make one CSV in the provider's export format, with every row of each day (the import path then replaces
 * that day's earlier rows).
 */
import { createHash } from "node:crypto";
import { csvLine } from "@/lib/domain/csv";
import type { UsageRecord } from "./usage-api";

export type DayBlock = { day: string; lines: string[]; hash: string };

export function dayBlocks(records: readonly UsageRecord[]): DayBlock[] {
  const byDay = new Map<string, string[]>();
  for (const r of records) {
    let lines = byDay.get(r.day);
    if (!lines) byDay.set(r.day, (lines = []));
    lines.push(csvLine(r.cells));
  }
  return [...byDay.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([day, lines]) => {
      lines.sort();
      return { day, lines, hash: createHash("sha256").update(lines.join("\n")).digest("hex") };
    });
}

export type SyncFile = {
  /** CSV text: header + the changed days' lines, or null when no day changed */
  csv: string | null;
  changed: DayBlock[];
  /** the day of each data line of csv, in order (line n of the file is lineDays[n - 2]) */
  lineDays: string[];
};

/**
 * The file carries the sync run's id in a last column (ignored by the import's mappers): the import's file-hash
 * dedupe is for re-uploads of one file, and must not take a retry of a day whose rows were skipped (same rows, a
 * mapping added since) for a duplicate. Connectors skip unchanged days by their own hashes instead.
 */
export const SYNC_RUN_COLUMN = "tokenhedge_sync_run";

export function syncFile(columns: readonly string[], blocks: readonly DayBlock[], stored: ReadonlyMap<string, string>, runId: string): SyncFile {
  const changed = blocks.filter((b) => stored.get(b.day) !== b.hash);
  if (!changed.length) return { csv: null, changed, lineDays: [] };
  const lineDays: string[] = [];
  const lines = [csvLine([...columns, SYNC_RUN_COLUMN])];
  const tail = `,${csvLine([runId])}`;
  for (const b of changed) for (const l of b.lines) {
    lines.push(l + tail);
    lineDays.push(b.day);
  }
  return { csv: lines.join("\n") + "\n", changed, lineDays };
}

/**
 * The days whose rows all imported: a day with a rejected row (an unmapped project or an unknown model) is
 * fetched and imported again on the next sync, once the mapping exists. When the error list was cut short
 * (more rejected rows than reported errors), no day can be vouched for.
 */
export function cleanDays(file: SyncFile, errors: readonly { line: number }[], rowsRejected: number): string[] {
  const bad = new Set<string>();
  const lines = new Set<number>();
  for (const e of errors) {
    lines.add(e.line);
    const d = file.lineDays[e.line - 2];
    if (d) bad.add(d);
  }
  if (rowsRejected > lines.size) return [];
  return file.changed.map((b) => b.day).filter((d) => !bad.has(d));
}
