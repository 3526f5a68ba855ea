import { z } from "zod";
import { isoDate, isoMonth } from "./common";

const decimalString = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .refine((v) => v === "" || /^-?\d{1,14}(\.\d{1,10})?$/.test(v), "must be a decimal number");

export const quoteInputSchema = z.object({
  asOf: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/, "must be an ISO date or timestamp (YYYY-MM-DD[THH:MM[:SS]Z])")
    .refine((v) => {
      const d = new Date(v.length === 10 ? `${v}T00:00:00Z` : v);
      return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v.slice(0, 10) && v.slice(0, 4) >= "2000" && v.slice(0, 4) <= "2100";
    }, "is not a real date between 2000 and 2100"),
  source: z.string().trim().min(1, "is required").max(120),
  sourceType: z.enum(["BROKER", "EXCHANGE", "PROVIDER"]),
  kind: z.enum(["FORWARD", "SPOT_LIST", "SPOT_REALIZED"]),
  modelClass: z.string().trim().min(1, "is required"),
  model: z.string().trim().optional(),
  deliveryMonth: isoMonth.optional(),
  bid: decimalString.optional(),
  ask: decimalString.optional(),
  mid: decimalString.optional(),
  quantityTokens: z.union([z.string(), z.number()]).transform(String).refine((v) => /^\d{1,18}$/.test(v), "must be a whole number of tokens").optional(),
});
export type QuoteInputRow = z.output<typeof quoteInputSchema>;

export const postQuotesSchema = z.object({ quotes: z.array(quoteInputSchema).min(1, "send at least one quote").max(10_000) });

export const quotesQuerySchema = z.object({
  modelClass: z.string().optional(),
  kind: z.enum(["FORWARD", "SPOT_LIST", "SPOT_REALIZED"]).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

export const curvesQuerySchema = z.object({ modelClass: z.string().optional(), asOf: isoDate.optional() });

export const qualityScoreSchema = z.object({
  benchmark: z.string().trim().min(1, "is required").max(120),
  score: z.union([z.string(), z.number()]).transform(String).refine((v) => /^\d{1,6}(\.\d{1,4})?$/.test(v) && Number(v) > 0, "must be a positive number"),
  effectiveFrom: isoDate,
});
