import { z } from "zod";
import { id, isoMonth, money } from "./common";

const band = z
  .object({
    fromMonth: z.coerce.number().int().min(1).max(36),
    toMonth: z.coerce.number().int().min(1).max(36),
    minPct: z.coerce.number().min(0).max(150),
    maxPct: z.coerce.number().min(0).max(150),
  })
  .strict()
  .refine((b) => b.toMonth >= b.fromMonth, { message: "toMonth must be on or after fromMonth", path: ["toMonth"] })
  .refine((b) => b.maxPct >= b.minPct, { message: "maxPct must be at least minPct", path: ["maxPct"] });

export const policySchema = z
  .object({
    modelClassId: id.nullish(),
    bands: z.array(band).min(1, "give at least one tenor band").max(12),
    maxOverHedgeProb: z.coerce.number().min(0).max(1).transform(String),
    maxTenorMonths: z.coerce.number().int().min(1).max(36),
    lotTokens: z
      .union([z.string(), z.number()])
      .transform((v) => String(v).trim())
      .refine((v) => /^[1-9]\d{0,15}$/.test(v), "must be a positive whole number of tokens"),
    preferredSettlement: z.enum(["FINANCIAL", "SERVICE_CREDITS"]),
    quarterlyBudgetUsd: money.nullish(),
    approvalThresholdUsd: money,
  })
  .strict()
  .superRefine((p, ctx) => {
    const sorted = [...p.bands].sort((a, b) => a.fromMonth - b.fromMonth);
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i].fromMonth <= sorted[i - 1].toMonth) ctx.addIssue({ code: "custom", path: ["bands"], message: `bands overlap at month ${sorted[i].fromMonth}` });
    }
    if (sorted.length && sorted[sorted.length - 1].toMonth < p.maxTenorMonths) {
      ctx.addIssue({ code: "custom", path: ["bands"], message: `bands must cover every month up to the maximum tenor (${p.maxTenorMonths})` });
    }
  });

export const recommendationsQuery = z.object({ modelClassId: id.optional() }).strict();

export const evaluateSchema = z
  .object({
    modelClassId: id,
    quantities: z
      .array(
        z
          .object({
            month: isoMonth,
            quantityTokens: z
              .union([z.string(), z.number()])
              .transform((v) => String(v).trim())
              .refine((v) => /^\d{1,16}$/.test(v), "must be a whole number of tokens, 0 or more"),
          })
          .strict(),
      )
      .min(1)
      .max(36),
  })
  .strict();
