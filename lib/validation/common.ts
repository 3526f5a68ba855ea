import { z } from "zod";

export const id = z.string().min(1).max(64);
/** Money crosses the API as a decimal string (or number literal) and is never handled as a float. */
export const money = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .refine((v) => /^\d{1,14}(\.\d{1,6})?$/.test(v), "must be a non-negative decimal with at most 6 decimal places");
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD")
  // round-trip: 2017-02-30 would otherwise be stored as 2017-03-02
  .refine((v) => {
    const d = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
  }, "is not a real calendar date")
  .refine((v) => v >= "2000-01-01" && v <= "2100-12-31", "must be between 2000-01-01 and 2100-12-31");
/** A calendar month YYYY-MM in a sane range. */
export const isoMonth = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, "must be a month YYYY-MM")
  .refine((v) => v >= "2000-01" && v <= "2100-12", "must be between 2000-01 and 2100-12");
export const page = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
