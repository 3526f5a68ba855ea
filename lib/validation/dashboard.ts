import { z } from "zod";
import { id, isoDate, isoMonth } from "./common";
import { DEMAND_CHANGE_RANGE, SPOT_CHANGE_RANGE } from "@/lib/domain/scenario";

export const marksQuery = z
  .object({
    /** the latest mark day on or before this date (default: the latest) */
    asOf: isoDate.optional(),
    format: z.enum(["json", "csv"]).default("json"),
    /** csv only: one line per contract, or per contract × month in `npm run value`'s layout */
    detail: z.enum(["contracts", "periods"]).default("contracts"),
  })
  .strict();

export const marksHistoryQuery = z
  .object({
    contractId: id.optional(),
    days: z.coerce.number().int().min(1).max(1000).default(400),
  })
  .strict();

export const coverageQuery = z.object({ format: z.enum(["json", "csv"]).default("json") }).strict();

export const scenarioQuery = z
  .object({
    spotChangePct: z.coerce.number().min(SPOT_CHANGE_RANGE.min).max(SPOT_CHANGE_RANGE.max).default(0),
    demandChangePct: z.coerce.number().min(DEMAND_CHANGE_RANGE.min).max(DEMAND_CHANGE_RANGE.max).default(0),
    /** the class the shock applies to; absent: every class */
    modelClassId: id.optional(),
  })
  .strict();

/** The CFO's commentary on a month's report; empty text clears it. */
export const commentarySchema = z
  .object({
    month: isoMonth,
    text: z.string().max(20_000, "at most 20,000 characters"),
  })
  .strict();
export const reportQuery = z.object({ month: isoMonth }).strict();
