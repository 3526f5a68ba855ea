import { z } from "zod";
import { isoDate } from "@/lib/validation/common";
import { hostRefusal } from "./egress";

const adminKey = z
  .string()
  .trim()
  .min(20, "must be at least 20 characters (an admin key)")
  .max(500)
  // it travels in an HTTP header: printable ASCII only (a NUL or a non-Latin-1 character would fail every sync)
  .regex(/^[\x21-\x7e]+$/, "must not contain spaces or characters other than printable ASCII");
/** No control characters (PostgreSQL text refuses NUL: it must be a 422, not a 500). */
const CONTROL = /[\u0000-\u001f\u007f]/;
/**
 * A connector's own base URL must be https (it is sent the admin key) on a public host (the worker fetches it
 * from inside the network: no loopback, private, link-local or internal names — lib/connectors/egress.ts, checked
 * again on every request after DNS); plain-http and local test servers are set by the environment.
 */
const baseUrl = z
  .string()
  .trim()
  .max(300)
  .url("must be a URL")
  .refine((v) => !CONTROL.test(v), "must not contain control characters")
  .refine((v) => v.startsWith("https://"), "must be an https:// URL")
  .refine((v) => !URL.canParse(v) || (!new URL(v).username && !new URL(v).password), "must not contain credentials")
  .superRefine((v, c) => {
    const why = URL.canParse(v) ? hostRefusal(v) : null;
    if (why) c.addIssue({ code: "custom", message: why });
  });
const startDate = isoDate
  .refine((v) => v >= "2020-01-01", "must be on or after 2020-01-01")
  .refine((v) => v <= new Date().toISOString().slice(0, 10), "must not be in the future");
const name = z.string().trim().min(1, "is required").max(80).refine((v) => !CONTROL.test(v), "must not contain control characters");

export const createConnectorSchema = z.object({
  provider: z.enum(["OPENAI", "ANTHROPIC"]),
  name,
  adminKey,
  startDate,
  baseUrl: z.union([baseUrl, z.literal("").transform(() => null), z.null()]).optional(),
});

export const updateConnectorSchema = z
  .object({
    name: name.optional(),
    enabled: z.boolean().optional(),
    adminKey: adminKey.optional(),
    startDate: startDate.optional(),
    baseUrl: z.union([baseUrl, z.literal("").transform(() => null), z.null()]).optional(),
  })
  .strict()
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: "send at least one of name, enabled, adminKey, startDate, baseUrl" });

export const connectorRunsQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

const day = z.string().nullable();
export const connectorSchema = z.object({
  id: z.string(),
  provider: z.enum(["OPENAI", "ANTHROPIC"]),
  name: z.string(),
  keyHint: z.string().describe("the admin key masked: its kind prefix and last four characters; the key itself is never returned"),
  baseUrl: z.string().nullable(),
  effectiveBaseUrl: z.string(),
  startDate: z.string(),
  enabled: z.boolean(),
  syncedThrough: day,
  lastSyncAt: z.string().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
});
export const syncRunSchema = z.object({
  id: z.string(),
  trigger: z.string(),
  status: z.enum(["RUNNING", "SUCCEEDED", "FAILED"]),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  fromDay: day,
  toDay: day,
  days: z.number(),
  daysChanged: z.number(),
  requests: z.number(),
  rowsFetched: z.number(),
  rowsImported: z.number(),
  rowsRejected: z.number(),
  importId: z.string().nullable(),
  message: z.string().nullable(),
  error: z.string().nullable(),
});
