import { z } from "zod";
import { id, isoDate, money } from "./common";

export const roleSchema = z.enum(["ADMIN", "CFO", "PROCUREMENT", "TEAM_LEAD"]);

export const createTeamSchema = z.object({
  name: z.string().trim().min(2, "must be at least 2 characters").max(80),
  costCenter: z.string().trim().max(40).optional(),
});

export const createUserSchema = z
  .object({
    email: z.string().trim().toLowerCase().email("must be a valid email address"),
    name: z.string().trim().min(1, "is required").max(120),
    role: roleSchema,
    teamId: id.optional(),
    password: z.string().min(12, "must be at least 12 characters"),
  })
  .superRefine((v, c) => {
    if (v.role === "TEAM_LEAD" && !v.teamId) c.addIssue({ code: "custom", path: ["teamId"], message: "a team lead must be bound to a team" });
    if (v.role !== "TEAM_LEAD" && v.teamId) c.addIssue({ code: "custom", path: ["teamId"], message: "only team leads are bound to a team" });
  });

export const classKey = z.string().trim().regex(/^[a-z0-9][a-z0-9-]{1,40}$/, "must be lowercase letters, digits and dashes");

export const createModelClassSchema = z.object({
  key: classKey,
  name: z.string().trim().min(2).max(80),
  description: z.string().trim().max(400).optional(),
});

export const createModelSchema = z.object({
  provider: z.string().trim().min(2, "is required").max(60),
  name: z.string().trim().min(2, "is required").max(120),
  modelClassId: id,
  version: z.string().trim().min(1, "is required").max(80),
  effectiveFrom: isoDate,
  inputUsdPerMTokens: money,
  outputUsdPerMTokens: money,
  cachedInputUsdPerMTokens: money.optional(),
});

export const modelPriceSchema = z.object({
  effectiveFrom: isoDate,
  inputUsdPerMTokens: money,
  outputUsdPerMTokens: money,
  cachedInputUsdPerMTokens: money.optional(),
});

export const modelVersionSchema = z.object({ version: z.string().trim().min(1).max(80), effectiveFrom: isoDate });

export const createApiTokenSchema = z.object({
  name: z.string().trim().min(2, "must be at least 2 characters").max(80),
  /** optional validity in days (1–730); without it the token lives until revoked or its creator leaves */
  expiresInDays: z.coerce.number().int().min(1).max(730).optional(),
});
