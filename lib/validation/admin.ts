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
  /** what the token may call (lib/auth/scopes.ts); least privilege by default */
  scope: z.enum(["READ", "INGEST", "ADMIN"]).default("READ"),
});

const teamForRole = (v: { role?: string; teamId?: string | null }, c: z.RefinementCtx) => {
  if (v.role === "TEAM_LEAD" && !v.teamId) c.addIssue({ code: "custom", path: ["teamId"], message: "a team lead must be bound to a team" });
  if (v.role !== undefined && v.role !== "TEAM_LEAD" && v.teamId) c.addIssue({ code: "custom", path: ["teamId"], message: "only team leads are bound to a team" });
};

/** Role and team are set together (a team is required for, and only for, team leads); `active` deactivates or reactivates. */
export const updateUserSchema = z
  .object({
    role: roleSchema.optional(),
    teamId: id.nullish(),
    active: z.boolean().optional(),
  })
  .superRefine((v, c) => {
    if (v.role === undefined && v.teamId !== undefined) c.addIssue({ code: "custom", path: ["role"], message: "is required when changing the team" });
    teamForRole(v, c);
  });

/** GET /api/v1/teams: a page of teams whose name contains q (the team picker asks as the user types). */
export const listTeamsQuery = z
  .object({
    q: z.string().trim().max(80, "at most 80 characters").optional(),
    limit: z.coerce.number().int("must be a whole number").min(1, "must be at least 1").max(200, "at most 200").optional(),
    includeArchived: z.enum(["true", "false"]).optional(),
  })
  .strict();

export const updateTeamSchema = z.object({
  name: z.string().trim().min(2, "must be at least 2 characters").max(80).optional(),
  archived: z.boolean().optional(),
});

export const createInvitationSchema = z
  .object({
    email: z.string().trim().toLowerCase().email("must be a valid email address"),
    role: roleSchema,
    teamId: id.optional(),
  })
  .superRefine(teamForRole);

export const changePasswordSchema = z.object({
  currentPassword: z.string().min(1, "is required").max(200),
  newPassword: z.string().min(1, "is required").max(200),
});

/** What an invitee or a reset link's holder submits; strength is checked by the service (lib/auth/password.ts). */
export const acceptInvitationSchema = z.object({
  name: z.string().trim().min(1, "is required").max(120),
  password: z.string().min(1, "is required").max(200),
});
export const resetPasswordSchema = z.object({ password: z.string().min(1, "is required").max(200) });
