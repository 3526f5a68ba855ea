/**
 * What an API token may call, by the scope chosen when it was created (least privilege by default):
 * - READ: every GET of the API (read-only everything);
 * - INGEST: what a usage integration needs end to end — imports (upload, list, progress, error reports), quotes,
 *   reading the catalog and teams, managing team mappings and model aliases;
 * - ADMIN: what an admin may call, plus the operations the spec opens to tokens ("API" in its roles).
 * The OpenAPI document lists each operation's scopes (x-token-scopes). Pure: decided from the endpoint alone.
 */
import type { Endpoint } from "@/lib/api/endpoint";
import type { ApiTokenScope } from "@/lib/generated/prisma/enums";

export const TOKEN_SCOPES = ["READ", "INGEST", "ADMIN"] as const satisfies readonly ApiTokenScope[];

const INGEST = new Set([
  "POST /api/v1/usage/imports",
  "GET /api/v1/usage/imports",
  "GET /api/v1/usage/imports/progress/{uploadId}",
  "GET /api/v1/usage/imports/{id}/errors",
  "GET /api/v1/quotes",
  "POST /api/v1/quotes",
  "POST /api/v1/quotes/upload",
  "GET /api/v1/teams",
  "GET /api/v1/models",
  "GET /api/v1/model-classes",
  "GET /api/v1/team-mappings",
  "POST /api/v1/team-mappings",
  "DELETE /api/v1/team-mappings/{id}",
  "POST /api/v1/model-aliases",
]);

/** Operations only a signed-in person can do: a token never mints tokens, invitations or reset links, nor changes a password. */
const PERSON_ONLY = [
  /^POST \/api\/v1\/api-tokens$/,
  /^DELETE \/api\/v1\/api-tokens\//,
  /^\w+ \/api\/v1\/account\//,
  /^POST \/api\/v1\/invitations$/,
  /^POST \/api\/v1\/users\/\{id\}\/password-reset$/,
];

export function tokenMayCall(ep: Pick<Endpoint, "method" | "path" | "roles">, scope: ApiTokenScope): boolean {
  if (PERSON_ONLY.some((r) => r.test(`${ep.method} ${ep.path}`))) return false;
  if (scope === "ADMIN") return ep.roles.includes("ADMIN") || ep.roles.includes("API");
  if (scope === "INGEST") return INGEST.has(`${ep.method} ${ep.path}`);
  return ep.method === "GET";
}

/** The scopes that may call an endpoint (for the OpenAPI document and the token form's help). */
export const scopesFor = (ep: Pick<Endpoint, "method" | "path" | "roles">) => TOKEN_SCOPES.filter((s) => tokenMayCall(ep, s));
