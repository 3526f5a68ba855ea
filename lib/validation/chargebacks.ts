import { z } from "zod";
import { id } from "./common";

/** A statement period: a calendar month YYYY-MM or a quarter YYYY-Qn. */
export const chargebackPeriod = z
  .string()
  .trim()
  .regex(/^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$/, "must be a month YYYY-MM or a quarter YYYY-Qn")
  .refine((v) => v >= "2000" && v < "2101", "must be between 2000 and 2100");

export const chargebacksQuery = z
  .object({
    period: chargebackPeriod,
    /** a team's statement; team leads may only name their own team (it is the default for them) */
    teamId: id.optional(),
    format: z.enum(["json", "csv"]).default("json"),
  })
  .strict();
export type ChargebacksQuery = z.output<typeof chargebacksQuery>;
