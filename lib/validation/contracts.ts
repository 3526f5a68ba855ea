import { z } from "zod";
import { id, isoDate, money, page } from "./common";

const positiveTokens = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .refine((v) => /^[1-9]\d{0,17}$/.test(v), "must be a positive whole number of tokens");

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
