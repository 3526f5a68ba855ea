import { z } from "zod";
import { defineEndpoint } from "./endpoint";
import { page } from "@/lib/validation/common";
import {
  createApiTokenSchema,
  createModelClassSchema,
  createModelSchema,
  createTeamSchema,
  createUserSchema,
  modelPriceSchema,
  modelVersionSchema,
} from "@/lib/validation/admin";
import { curvesQuerySchema, postQuotesSchema, qualityScoreSchema, quotesQuerySchema } from "@/lib/validation/quotes";
import { forecastQuerySchema, overrideSchema } from "@/lib/validation/forecasts";
import { orgSettingsSchema, settingsPatchSchema } from "@/lib/validation/settings";
import { evaluateSchema, policySchema, recommendationsQuery } from "@/lib/validation/hedging";
import { bookContractSchema, contractsQuery, counterpartySchema, decisionSchema, rejectSchema } from "@/lib/validation/contracts";
import { aliasSchema, importQuerySchema, mappingSchema, usageQuerySchema } from "@/lib/validation/usage";
import { commentarySchema, coverageQuery, marksHistoryQuery, marksQuery, reportQuery, scenarioQuery } from "@/lib/validation/dashboard";
import { chargebacksQuery } from "@/lib/validation/chargebacks";

const ALL = ["ADMIN", "CFO", "PROCUREMENT", "TEAM_LEAD"] as const;
const importSummary = z.object({
  status: z.enum(["VALID", "COMPLETED", "REJECTED", "DUPLICATE"]),
  importId: z.string().nullable(),
  duplicateOf: z.string().nullable(),
  format: z.string(),
  rowsTotal: z.number(),
  rowsAccepted: z.number(),
  rowsRejected: z.number(),
  rowsReplaced: z.number(),
  errorPct: z.number(),
  errorThresholdPct: z.number(),
  errors: z.array(z.object({ line: z.number(), column: z.string(), reason: z.string() })),
  unknownModels: z.array(z.object({ provider: z.string(), model: z.string(), rows: z.number(), suggestion: z.object({ modelId: z.string(), provider: z.string(), model: z.string() }).optional() })),
  unknownTeams: z.array(z.object({ source: z.string(), value: z.string(), rows: z.number(), suggestion: z.string().optional() })),
  costColumn: z.string().nullable(),
  snapshots: z.array(z.object({ provider: z.string(), model: z.string(), snapshot: z.string(), date: z.string(), isNew: z.boolean() })),
  message: z.string(),
});

/** Every /api/v1 operation. Route files import their entry; /api/v1/openapi.json is generated from this list. */
export const api = {
  listTeams: defineEndpoint({ method: "GET", path: "/api/v1/teams", summary: "List teams", tag: "Admin", roles: ALL }),
  createTeam: defineEndpoint({ method: "POST", path: "/api/v1/teams", summary: "Create a team", tag: "Admin", roles: ["ADMIN"], body: createTeamSchema }),
  listUsers: defineEndpoint({ method: "GET", path: "/api/v1/users", summary: "List users and roles", tag: "Admin", roles: ["ADMIN"] }),
  createUser: defineEndpoint({ method: "POST", path: "/api/v1/users", summary: "Create a user with a role (team leads bound to one team)", tag: "Admin", roles: ["ADMIN"], body: createUserSchema }),
  removeUser: defineEndpoint({ method: "DELETE", path: "/api/v1/users/{id}", summary: "Remove a user from the organization", tag: "Admin", roles: ["ADMIN"] }),
  listModelClasses: defineEndpoint({ method: "GET", path: "/api/v1/model-classes", summary: "List model classes", tag: "Catalog", roles: [...ALL, "API"] }),
  createModelClass: defineEndpoint({ method: "POST", path: "/api/v1/model-classes", summary: "Create a model class", tag: "Catalog", roles: ["ADMIN"], body: createModelClassSchema }),
  listModels: defineEndpoint({ method: "GET", path: "/api/v1/models", summary: "Model catalog with prices and versions in force", tag: "Catalog", roles: [...ALL, "API"] }),
  createModel: defineEndpoint({ method: "POST", path: "/api/v1/models", summary: "Add a model to the catalog", tag: "Catalog", roles: ["ADMIN"], body: createModelSchema }),
  addModelPrice: defineEndpoint({ method: "POST", path: "/api/v1/models/{id}/prices", summary: "Add an effective-dated list price", tag: "Catalog", roles: ["ADMIN"], body: modelPriceSchema }),
  addModelVersion: defineEndpoint({ method: "POST", path: "/api/v1/models/{id}/versions", summary: "Record a new model version behind this model (drift)", tag: "Catalog", roles: ["ADMIN"], body: modelVersionSchema }),
  addAlias: defineEndpoint({ method: "POST", path: "/api/v1/model-aliases", summary: "Map an unknown model name from an export to a catalog model", tag: "Catalog", roles: ["ADMIN", "PROCUREMENT"], body: aliasSchema }),
  listMappings: defineEndpoint({ method: "GET", path: "/api/v1/team-mappings", summary: "List project/workspace/tag → team mappings", tag: "Usage", roles: ["ADMIN", "PROCUREMENT"] }),
  createMapping: defineEndpoint({ method: "POST", path: "/api/v1/team-mappings", summary: "Map a project, workspace or tag value to a team", tag: "Usage", roles: ["ADMIN"], body: mappingSchema }),
  deleteMapping: defineEndpoint({ method: "DELETE", path: "/api/v1/team-mappings/{id}", summary: "Delete a team mapping", tag: "Usage", roles: ["ADMIN"] }),
  listApiTokens: defineEndpoint({ method: "GET", path: "/api/v1/api-tokens", summary: "List API tokens (secrets are never returned)", tag: "Admin", roles: ["ADMIN"] }),
  createApiToken: defineEndpoint({ method: "POST", path: "/api/v1/api-tokens", summary: "Create an API token; the secret is returned once", tag: "Admin", roles: ["ADMIN"], body: createApiTokenSchema }),
  revokeApiToken: defineEndpoint({ method: "DELETE", path: "/api/v1/api-tokens/{id}", summary: "Revoke an API token", tag: "Admin", roles: ["ADMIN"] }),
  listJobRuns: defineEndpoint({ method: "GET", path: "/api/v1/jobs", summary: "Job run log", tag: "Admin", roles: ["ADMIN"], query: page }),
  usage: defineEndpoint({ method: "GET", path: "/api/v1/usage", summary: "Usage totals by day/week/month and a breakdown by team, model or class", tag: "Usage", roles: [...ALL, "API"], query: usageQuerySchema }),
  listImports: defineEndpoint({ method: "GET", path: "/api/v1/usage/imports", summary: "Import history", tag: "Usage", roles: ["ADMIN", "PROCUREMENT", "API"], query: page }),
  createImport: defineEndpoint({
    method: "POST",
    path: "/api/v1/usage/imports",
    summary: "Upload a usage file (Tokenhedge CSV, FOCUS CSV, OpenAI or Anthropic usage export as CSV or JSON). mode=validate reports errors without writing, applying the org's error threshold; with report=csv it answers with the error report as CSV.",
    tag: "Usage",
    roles: ["ADMIN", "PROCUREMENT", "API"],
    query: importQuerySchema,
    rawBody: "text/csv",
    response: importSummary,
  }),
  importProgress: defineEndpoint({ method: "GET", path: "/api/v1/usage/imports/progress/{uploadId}", summary: "Rows processed so far by an upload that passed ?uploadId= (404 once it has finished)", tag: "Usage", roles: ["ADMIN", "PROCUREMENT", "API"] }),
  importErrors: defineEndpoint({ method: "GET", path: "/api/v1/usage/imports/{id}/errors", summary: "Error report of an import as CSV", tag: "Usage", roles: ["ADMIN", "PROCUREMENT", "API"] }),
  listQuotes: defineEndpoint({ method: "GET", path: "/api/v1/quotes", summary: "Price quotes and spot observations, newest first", tag: "Market", roles: ["ADMIN", "CFO", "PROCUREMENT", "API"], query: quotesQuerySchema }),
  postQuotes: defineEndpoint({ method: "POST", path: "/api/v1/quotes", summary: "Import quotes (all-or-nothing; each invalid quote is reported with the reason). Triggers a curve rebuild.", tag: "Market", roles: ["ADMIN", "PROCUREMENT", "API"], body: postQuotesSchema }),
  uploadQuotes: defineEndpoint({ method: "POST", path: "/api/v1/quotes/upload", summary: "Import a quotes CSV: as_of,source,source_type,kind,model_class,model,delivery_month,bid,ask,mid,quantity_tokens", tag: "Market", roles: ["ADMIN", "PROCUREMENT", "API"], query: z.object({ fileName: z.string().trim().min(1).max(255) }), rawBody: "text/csv" }),
  curves: defineEndpoint({ method: "GET", path: "/api/v1/curves", summary: "Stored forward curves with flagged points (latest, or as of a date)", tag: "Market", roles: ["ADMIN", "CFO", "PROCUREMENT", "API"], query: curvesQuerySchema }),
  rebuildCurves: defineEndpoint({ method: "POST", path: "/api/v1/curves/rebuild", summary: "Queue a curve rebuild for today (runs in the worker)", tag: "Market", roles: ["ADMIN", "PROCUREMENT"] }),
  addQualityScore: defineEndpoint({ method: "POST", path: "/api/v1/model-classes/{id}/quality", summary: "Add an effective-dated benchmark quality score for a model class", tag: "Catalog", roles: ["ADMIN"], body: qualityScoreSchema }),
  forecast: defineEndpoint({ method: "GET", path: "/api/v1/forecasts", summary: "Latest stored forecast (P10/P50/P90 per day, input and output tokens) for a team × class, class or org scope, with backtest metrics and the adjusted twin", tag: "Forecasts", roles: [...ALL, "API"], query: forecastQuerySchema }),
  runForecasts: defineEndpoint({ method: "POST", path: "/api/v1/forecasts/run", summary: "Queue a forecast run (runs in the worker)", tag: "Forecasts", roles: ["ADMIN", "PROCUREMENT"] }),
  listOverrides: defineEndpoint({ method: "GET", path: "/api/v1/forecast-overrides", summary: "Planner events adjusting forecasts", tag: "Forecasts", roles: ALL }),
  createOverride: defineEndpoint({ method: "POST", path: "/api/v1/forecast-overrides", summary: "Add a planner event (e.g. +30% on general-chat from Feb 1); adjusted forecasts are recomputed, originals kept", tag: "Forecasts", roles: ["PROCUREMENT", "TEAM_LEAD", "ADMIN"], body: overrideSchema }),
  getSettings: defineEndpoint({ method: "GET", path: "/api/v1/org/settings", summary: "Organization settings (defaults filled in)", tag: "Admin", roles: ["ADMIN", "CFO", "PROCUREMENT"], response: orgSettingsSchema }),
  updateSettings: defineEndpoint({ method: "PATCH", path: "/api/v1/org/settings", summary: "Change organization settings: curve flag thresholds and weighting, import error threshold, FOCUS team column/tag", tag: "Admin", roles: ["ADMIN"], body: settingsPatchSchema }),
  recommendations: defineEndpoint({ method: "GET", path: "/api/v1/recommendations", summary: "Latest hedge recommendations per class × delivery month: P50 demand, contracted, recommended quantity, coverage, strike, and the unhedged / policy minimum / recommended strategies' expected and P95 cost and over-hedge probability", tag: "Hedging", roles: ["ADMIN", "CFO", "PROCUREMENT", "API"], query: recommendationsQuery }),
  evaluateHedge: defineEndpoint({ method: "POST", path: "/api/v1/recommendations/evaluate", summary: "Evaluate custom hedge quantities for one class on the latest run's paths (same seed), beside the stored strategies", tag: "Hedging", roles: ["ADMIN", "CFO", "PROCUREMENT", "API"], body: evaluateSchema }),
  runRecommendations: defineEndpoint({ method: "POST", path: "/api/v1/recommendations/run", summary: "Queue a recommendation run (runs in the worker)", tag: "Hedging", roles: ["ADMIN", "CFO", "PROCUREMENT"] }),
  hedgePolicy: defineEndpoint({ method: "GET", path: "/api/v1/hedge-policy", summary: "The org hedge policy and per-class overrides", tag: "Hedging", roles: ["ADMIN", "CFO", "PROCUREMENT", "API"] }),
  monthlyReport: defineEndpoint({ method: "GET", path: "/api/v1/reports/monthly", summary: "The CFO's monthly report for a calendar month: spend by class, settlements of the month, marks at its end, today's coverage, budget at risk and alerts, and the commentary", tag: "Dashboard", roles: ["ADMIN", "CFO", "API"], query: reportQuery }),
  saveReportCommentary: defineEndpoint({ method: "PUT", path: "/api/v1/reports/monthly", summary: "Save the CFO's commentary on a month's report (empty text clears it; audited)", tag: "Dashboard", roles: ["CFO"], body: commentarySchema }),
  saveHedgePolicy: defineEndpoint({ method: "PUT", path: "/api/v1/hedge-policy", summary: "Save the org policy (modelClassId null) or a class override: coverage bands per tenor, over-hedge limit, max tenor, lot, settlement, quarterly budget, approval threshold (audited)", tag: "Hedging", roles: ["ADMIN", "CFO"], body: policySchema }),
  listContracts: defineEndpoint({ method: "GET", path: "/api/v1/contracts", summary: "Contracts blotter: filter by status, class, counterparty and window (overlap), sort, paginate", tag: "Contracts", roles: ["ADMIN", "CFO", "PROCUREMENT", "API"], query: contractsQuery }),
  bookContract: defineEndpoint({ method: "POST", path: "/api/v1/contracts", summary: "Book a forward contract. Idempotent: send an Idempotency-Key header (same key + same body → the first result, 200; different body → 422). Above the policy's approval threshold it waits for a CFO (PENDING_APPROVAL). 422 names the field: window in the past or beyond the max tenor, quantity not a lot multiple, strike > 50% from the curve without confirmFarFromCurve, unknown ids, counterparty over its limit", tag: "Contracts", roles: ["PROCUREMENT", "API"], body: bookContractSchema }),
  getContract: defineEndpoint({ method: "GET", path: "/api/v1/contracts/{id}", summary: "A contract: terms, trade details, timeline of events, settlements, drift flag", tag: "Contracts", roles: ["ADMIN", "CFO", "PROCUREMENT", "API"] }),
  cancelContract: defineEndpoint({ method: "DELETE", path: "/api/v1/contracts/{id}", summary: "Cancel a contract (draft, pending approval or booked; 409 otherwise)", tag: "Contracts", roles: ["PROCUREMENT", "CFO", "ADMIN", "API"], query: decisionSchema }),
  approveContract: defineEndpoint({ method: "POST", path: "/api/v1/contracts/{id}/approve", summary: "Approve a pending contract (CFO only, never the booker; 409 when not pending)", tag: "Contracts", roles: ["CFO"], body: decisionSchema }),
  rejectContract: defineEndpoint({ method: "POST", path: "/api/v1/contracts/{id}/reject", summary: "Reject a pending contract with a comment (CFO only, never the booker)", tag: "Contracts", roles: ["CFO"], body: rejectSchema }),
  contractSettlements: defineEndpoint({ method: "GET", path: "/api/v1/contracts/{id}/settlements", summary: "Settlement statement of a contract, one row per settled month (format=csv for a download; text cells neutralised against formula injection)", tag: "Contracts", roles: ["ADMIN", "CFO", "PROCUREMENT", "API"], query: z.object({ format: z.enum(["json", "csv"]).default("json") }).strict() }),
  listCounterparties: defineEndpoint({ method: "GET", path: "/api/v1/counterparties", summary: "Counterparties with rating, limit, current exposure, concentration and warnings", tag: "Contracts", roles: ["ADMIN", "CFO", "PROCUREMENT", "API"] }),
  createCounterparty: defineEndpoint({ method: "POST", path: "/api/v1/counterparties", summary: "Add a counterparty (audited)", tag: "Contracts", roles: ["PROCUREMENT", "ADMIN"], body: counterpartySchema }),
  chargebacks: defineEndpoint({ method: "GET", path: "/api/v1/chargebacks", summary: "Chargeback statement for a month (YYYY-MM) or quarter (YYYY-Qn): each team's usage at the spot benchmark and at the hedged blended rate (settlement results shared by the org's allocation rule), reconciled to the org's cost in cents, with a 12-month trend. Team leads get their own team only (another teamId is a 403); format=csv for a download", tag: "Chargebacks", roles: ["ADMIN", "CFO", "TEAM_LEAD", "API"], query: chargebacksQuery }),
  updateCounterparty: defineEndpoint({ method: "PUT", path: "/api/v1/counterparties/{id}", summary: "Change a counterparty's name, rating or limit (audited)", tag: "Contracts", roles: ["PROCUREMENT", "ADMIN"], body: counterpartySchema }),
  marks: defineEndpoint({ method: "GET", path: "/api/v1/marks", summary: "Daily marks of the portfolio (latest day, or the latest on or before asOf): value, realised and unrealised P&L per contract, change since the previous mark day, totals by class, counterparty and settlement type. format=csv downloads one line per contract, or with detail=periods one line per contract × month in `npm run value`'s layout", tag: "Valuation", roles: ["ADMIN", "CFO", "PROCUREMENT", "API"], query: marksQuery }),
  marksHistory: defineEndpoint({ method: "GET", path: "/api/v1/marks/history", summary: "Mark-to-market history: portfolio value per mark day and each contract's values (one contract with contractId)", tag: "Valuation", roles: ["ADMIN", "CFO", "PROCUREMENT", "API"], query: marksHistoryQuery }),
  runMarks: defineEndpoint({ method: "POST", path: "/api/v1/marks/run", summary: "Queue today's marks (runs in the worker; also after each curve rebuild and nightly)", tag: "Valuation", roles: ["ADMIN", "CFO", "PROCUREMENT"] }),
  coverage: defineEndpoint({ method: "GET", path: "/api/v1/coverage", summary: "Hedge coverage of the next 12 delivery months per class: forecast P10/P50/P90, contracted and pending tokens, coverage % against the policy band and status (format=csv for a download)", tag: "Hedging", roles: ["ADMIN", "CFO", "PROCUREMENT", "API"], query: coverageQuery }),
  scenario: defineEndpoint({ method: "GET", path: "/api/v1/scenario", summary: "Stress next quarter's spend: spot change (−80…+200%) and demand change (−50…+100%) on one class or all; cost hedged vs unhedged at P50 demand and forwards, and the simulated expected/P95 and probability of exceeding the policy budget under the same shock", tag: "Hedging", roles: ["ADMIN", "CFO", "PROCUREMENT", "API"], query: scenarioQuery }),
} as const;
