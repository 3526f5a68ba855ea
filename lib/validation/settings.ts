import { z } from "zod";
import { ALLOCATIONS, BENCHMARKS } from "@/lib/domain/chargeback";

/** FOCUS cost columns a usage import can take its cost from (EffectiveCost: amortized, after discounts and commitments). */
export const FOCUS_COST_COLUMNS = ["EffectiveCost", "BilledCost", "ListCost", "ContractedCost"] as const;
const FOCUS_DEFAULTS = { teamColumn: "SubAccountName", teamTag: "team", tokenTypeTag: "token_type", costColumn: "EffectiveCost" } as const;

/** Per-org parameters, stored in Organization.settings; defaults apply to anything unset. */
export const orgSettingsSchema = z.object({
  importErrorThresholdPct: z.number().min(0).max(100).default(5),
  /** annual rate (%, continuously compounded, act/365) that marks discount unrealised contract value with */
  discountRatePct: z.number().min(-5).max(50).default(4),
  /** a counterparty holding more than this share of open hedged notional is flagged as a concentration */
  concentrationWarnPct: z.number().min(1).max(100).default(40),
  focus: z
    .object({
      teamColumn: z.string().min(1).default(FOCUS_DEFAULTS.teamColumn),
      teamTag: z.string().min(1).default(FOCUS_DEFAULTS.teamTag),
      /** the tag whose value names a row's token kind (input / output / cached input); see lib/ingest/token-kind.ts */
      tokenTypeTag: z.string().min(1).default(FOCUS_DEFAULTS.tokenTypeTag),
      /** the cost column stored as the usage's reported cost */
      costColumn: z.enum(FOCUS_COST_COLUMNS).default(FOCUS_DEFAULTS.costColumn),
    })
    .default(FOCUS_DEFAULTS),
  curve: z
    .object({
      /** a point is stale when no quote for it is newer than this */
      staleDays: z.number().int().min(1).max(365).default(14),
      /** a point is wide when (ask - bid) / mid exceeds this */
      wideSpreadPct: z.number().min(0).max(500).default(20),
      /** a point is thin when fewer quotes than this back it */
      thinMinQuotes: z.number().int().min(1).max(100).default(3),
      /** quote weight halves every this many days of age */
      halfLifeDays: z.number().min(0.5).max(365).default(7),
      /** quotes older than this are ignored */
      maxQuoteAgeDays: z.number().int().min(1).max(730).default(60),
    })
    .default({ staleDays: 14, wideSpreadPct: 20, thinMinQuotes: 3, halfLifeDays: 7, maxQuoteAgeDays: 60 }),
  /** chargebacks (lib/domain/chargeback.ts): SPOT = the curve's daily spot, LIST = catalog list price */
  chargebackBenchmark: z.enum(BENCHMARKS).default("SPOT"),
  /** how a hedge's result is shared: USAGE = pro rata to usage of the class in the month, FORECAST_AT_BOOKING = to each team's forecast when the contract was booked */
  chargebackAllocation: z.enum(ALLOCATIONS).default("USAGE"),
});
export type OrgSettings = z.infer<typeof orgSettingsSchema>;

export function readSettings(raw: unknown): OrgSettings {
  const r = orgSettingsSchema.safeParse(raw ?? {});
  return r.success ? r.data : orgSettingsSchema.parse({});
}

/** Admin edits: any subset of the settings; unknown keys are refused. */
export const settingsPatchSchema = z
  .object({
    importErrorThresholdPct: z.coerce.number().min(0).max(100),
    discountRatePct: z.coerce.number().min(-5).max(50),
    concentrationWarnPct: z.coerce.number().min(1).max(100),
    focus: z
      .object({
        teamColumn: z.string().trim().min(1).max(80),
        teamTag: z.string().trim().min(1).max(80),
        tokenTypeTag: z.string().trim().min(1).max(80),
        costColumn: z.enum(FOCUS_COST_COLUMNS),
      })
      .partial()
      .strict(),
    curve: z
      .object({
        staleDays: z.coerce.number().int().min(1).max(365),
        wideSpreadPct: z.coerce.number().min(0).max(500),
        thinMinQuotes: z.coerce.number().int().min(1).max(100),
        halfLifeDays: z.coerce.number().min(0.5).max(365),
        maxQuoteAgeDays: z.coerce.number().int().min(1).max(730),
      })
      .partial()
      .strict(),
    chargebackBenchmark: z.enum(BENCHMARKS),
    chargebackAllocation: z.enum(ALLOCATIONS),
  })
  .partial()
  .strict();
