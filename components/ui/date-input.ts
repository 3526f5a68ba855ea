/**
 * Date fields take and show YYYY-MM-DD, the format of every other date in the app. A native `type="date"` input
 * shows the browser locale's format instead (mm/dd/yyyy in en-US), so dates are typed as ISO text; the API
 * checks them (a 422 names the field). Spread on an <input>: `<input name="from" {...ISO_DATE_INPUT} />`.
 */
export const ISO_DATE_INPUT = {
  type: "text",
  inputMode: "numeric",
  pattern: "\\d{4}-\\d{2}-\\d{2}",
  placeholder: "YYYY-MM-DD",
  maxLength: 10,
  autoComplete: "off",
  title: "A date as YYYY-MM-DD",
} as const;

/** A whole calendar date as YYYY-MM-DD (2026-02-30 is not), or nothing: what a date field may hold before it is used. */
export function isoDateOrEmpty(s: string): boolean {
  if (s === "") return true;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}
