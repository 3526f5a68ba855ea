import { z } from "zod";
import { id, isoDate, money, page } from "./common";

const positiveTokens = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .refine((v) => /^[1-9]\d{0,17}$/.test(v), "must be a positive whole number of tokens");

/** A percentage 0–100 with at most 3 decimals, as a decimal string. */
const pct = () =>
  z
    .union([z.string(), z.number()])
    .transform((v) => String(v).trim())
    .refine((v) => /^\d{1,3}(\.\d{1,3})?$/.test(v) && Number(v) > 0 && Number(v) <= 100, "must be a percentage above 0 and at most 100, with at most 3 decimals");

/** Whole milliseconds 1–600000, as a number or a numeric string. */
const wholeMs = () =>
  z
    .union([z.string(), z.number()])
    .transform((v) => String(v).trim())
    .refine((v) => /^\d{1,6}$/.test(v) && Number(v) >= 1 && Number(v) <= 600_000, "must be whole milliseconds from 1 to 600000")
    .transform(Number);

/**
 * One breach tier of a service-credit rule: when the month's measure breaches the threshold, the provider
 * credits creditPct of the month's contract value (lib/domain/capacity.ts serviceCreditPct applies it).
 */
export const serviceCreditTier = z.discriminatedUnion("metric", [
  z.object({ metric: z.literal("UPTIME"), belowPct: pct(), creditPct: pct() }).strict(),
  z.object({ metric: z.literal("LATENCY_P95"), aboveMs: wholeMs(), creditPct: pct() }).strict(),
  z.object({ metric: z.literal("THROUGHPUT"), belowPctOfReserved: pct(), creditPct: pct() }).strict(),
]);

export const serviceCreditRule = z
  .object({
    tiers: z.array(serviceCreditTier).min(1, "name at least one breach tier").max(12),
    /** credits of one month, all metrics together, never exceed this % of the month's contract value */
    monthlyCapPct: pct(),
  })
  .strict();

export const SUPPORT_TIERS = ["STANDARD", "BUSINESS", "ENTERPRISE", "PREMIER"] as const;

/**
 * Capacity and service terms of a product (all optional). Credit tiers must refer to a commitment the terms make:
 * an uptime tier at or below the uptime commitment, a latency tier at or above the latency commitment, a
 * throughput tier needs a reservation; thresholds of one metric are distinct; the cap is at least the largest tier.
 */
export const serviceTermsSchema = z
  .object({
    reservedTokensPerMinute: z
      .union([z.string(), z.number()])
      .transform((v) => String(v).trim())
      .refine((v) => /^[1-9]\d{0,14}$/.test(v), "must be a positive whole number of tokens per minute")
      .nullish(),
    uptimeCommitmentPct: pct().nullish(),
    latencyP95Ms: wholeMs().nullish(),
    supportTier: z.enum(SUPPORT_TIERS).nullish(),
    serviceCreditRule: serviceCreditRule.nullish(),
  })
  .strict()
  .superRefine((t, ctx) => {
    const rule = t.serviceCreditRule;
    if (!rule) return;
    const seen = new Set<string>();
    rule.tiers.forEach((tier, i) => {
      const path = ["serviceCreditRule", "tiers", i];
      const key = tier.metric === "UPTIME" ? `U${Number(tier.belowPct)}` : tier.metric === "LATENCY_P95" ? `L${tier.aboveMs}` : `T${Number(tier.belowPctOfReserved)}`;
      if (seen.has(key)) ctx.addIssue({ code: "custom", path, message: "repeats the threshold of another tier of the same metric" });
      seen.add(key);
      if (tier.metric === "UPTIME") {
        if (!t.uptimeCommitmentPct) ctx.addIssue({ code: "custom", path: [...path, "metric"], message: "an uptime tier needs uptimeCommitmentPct" });
        else if (Number(tier.belowPct) > Number(t.uptimeCommitmentPct)) ctx.addIssue({ code: "custom", path: [...path, "belowPct"], message: `must be at or below the uptime commitment of ${t.uptimeCommitmentPct}%` });
      } else if (tier.metric === "LATENCY_P95") {
        if (!t.latencyP95Ms) ctx.addIssue({ code: "custom", path: [...path, "metric"], message: "a latency tier needs latencyP95Ms" });
        else if (tier.aboveMs < t.latencyP95Ms) ctx.addIssue({ code: "custom", path: [...path, "aboveMs"], message: `must be at or above the latency commitment of ${t.latencyP95Ms} ms` });
      } else if (!t.reservedTokensPerMinute) ctx.addIssue({ code: "custom", path: [...path, "metric"], message: "a throughput tier needs reservedTokensPerMinute" });
      if (Number(tier.creditPct) > Number(rule.monthlyCapPct)) ctx.addIssue({ code: "custom", path: [...path, "creditPct"], message: `must not exceed monthlyCapPct (${rule.monthlyCapPct}%)` });
    });
  });
export type ServiceTermsInput = z.output<typeof serviceTermsSchema>;

export const amendServiceTermsSchema = z
  .object({
    /** the new terms in full; null removes them */
    serviceTerms: serviceTermsSchema.nullable(),
    comment: z.string().trim().min(3, "say why the service terms change (agreed with the counterparty when)").max(2000).refine((v) => !v.includes("\u0000"), "must not contain NUL characters"),
  })
  .strict();

export const bookContractSchema = z
  .object({
    providerId: id,
    modelClassId: id,
    counterpartyId: id,
    quantityTokens: positiveTokens,
    windowStart: isoDate,
    windowEnd: isoDate,
    strikeUsdPerMTokens: money.refine((v) => Number(v) > 0, "must be above zero"),
    settlement: z.enum(["FINANCIAL", "SERVICE_CREDITS"]),
    substitutionRule: z.enum(["SUCCESSOR_SAME_STRIKE", "CASH_SETTLE_LAST_PRICE", "MANUAL_REVIEW"]),
    recommendationId: id.nullish(),
    /** capacity and service terms, optional */
    serviceTerms: serviceTermsSchema.nullish(),
    notes: z.string().trim().max(2000).nullish(),
    /** the form makes one per submission; API clients may send it as the Idempotency-Key header instead */
    idempotencyKey: z.string().trim().min(8).max(100).optional(),
    /** required when the strike is more than 50% away from the curve */
    confirmFarFromCurve: z.boolean().optional(),
  })
  .strict()
  .refine((b) => b.windowEnd >= b.windowStart, { message: "must be on or after windowStart", path: ["windowEnd"] });

export const contractsQuery = page
  .extend({
    status: z.enum(["DRAFT", "PENDING_APPROVAL", "BOOKED", "DELIVERING", "SETTLED", "REJECTED", "CANCELLED"]).optional(),
    modelClassId: id.optional(),
    counterpartyId: id.optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
    sort: z.enum(["bookedAt", "windowStart", "notional", "reference"]).default("bookedAt"),
    dir: z.enum(["asc", "desc"]).default("desc"),
  })
  .strict();

export const decisionSchema = z.object({ comment: z.string().trim().max(2000).optional() }).strict();
export const rejectSchema = z.object({ comment: z.string().trim().min(3, "say why the contract is rejected").max(2000) }).strict();

export const counterpartySchema = z
  .object({
    name: z.string().trim().min(2).max(120),
    rating: z.string().trim().min(1).max(20),
    limitUsd: money,
  })
  .strict();

/** Designation of a contract as a cash-flow hedge: the CFO states the risk management objective. */
export const designateHedgeSchema = z
  .object({
    riskManagementObjective: z.string().trim().min(20, "state the risk management objective and strategy (at least 20 characters)").max(2000),
  })
  .strict();

export const registerQuery = z.object({ format: z.enum(["csv", "json"]).default("csv") }).strict();

export const capacityQuery = z.object({ asOf: isoDate.optional() }).strict();
