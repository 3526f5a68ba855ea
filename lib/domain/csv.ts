/**
 * CSV cells for every export. A text cell starting with = + - @ (or a tab / carriage return) is prefixed with
 * an apostrophe so spreadsheet programs do not run it as a formula; numbers such as -12.5 stay numbers.
 */
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

export function csvCell(v: string | number | bigint | null | undefined): string {
  if (v === null || v === undefined) return "";
  const s = String(v);
  const safe = /^[=+\-@\t\r]/.test(s) && !NUMBER.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const csvLine = (cells: readonly (string | number | bigint | null | undefined)[]) => cells.map(csvCell).join(",");

/** Text echoed back from a customer's file is cut to this length in error messages. */
export const MAX_ECHO = 200;
export const echo = (v: string) => (v.length > MAX_ECHO ? `${v.slice(0, MAX_ECHO)}… (${v.length} characters)` : v);
