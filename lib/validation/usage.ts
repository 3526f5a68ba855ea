import { z } from "zod";
import { id, isoDate } from "./common";

export const usageQuerySchema = z
  .object({
    teamId: id.optional(),
    modelId: id.optional(),
    modelClassId: id.optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
    bucket: z.enum(["day", "week", "month"]).default("day"),
    groupBy: z.enum(["team", "model", "class"]).default("team"),
  })
  .refine((v) => !v.from || !v.to || v.from <= v.to, { path: ["to"], message: "must be on or after from" });

export const importQuerySchema = z
  .object({
    fileName: z.string().trim().min(1, "is required").max(255),
    /** validate: a check that writes nothing, with the org's error threshold applied as a commit would */
    mode: z.enum(["validate", "commit"]).default("commit"),
    onErrors: z.enum(["import-valid", "reject"]).default("reject"),
    /** client-chosen id to poll GET /api/v1/usage/imports/progress/{uploadId} while the file streams */
    uploadId: z.string().uuid("must be a UUID").optional(),
    /** csv: answer a check with its error report as a CSV download (line,column,reason) instead of the JSON summary */
    report: z.enum(["json", "csv"]).default("json"),
  })
  .refine((q) => q.report === "json" || q.mode === "validate", {
    path: ["report"],
    message: "csv is for mode=validate; a committed import's report is at /api/v1/usage/imports/{id}/errors",
  });

export const mappingSchema = z.object({
  source: z.enum(["OPENAI_PROJECT", "OPENAI_API_KEY", "ANTHROPIC_WORKSPACE", "ANTHROPIC_API_KEY", "FOCUS_TAG"]),
  externalId: z.string().trim().min(1, "is required").max(200),
  teamId: id,
});

export const aliasSchema = z.object({
  alias: z.string().trim().min(1, "is required").max(200),
  modelId: id,
});
