import { scopesFor } from "@/lib/auth/scopes";
import { z } from "zod";
import { api } from "./spec";
import type { Endpoint } from "./endpoint";

const schema = (s: z.ZodType) => z.toJSONSchema(s, { io: "input", unrepresentable: "any" });

const errorSchema = {
  type: "object",
  properties: {
    error: {
      type: "object",
      properties: {
        code: { type: "string" },
        message: { type: "string" },
        issues: { type: "array", items: { type: "object", properties: { path: { type: "string" }, message: { type: "string" } } } },
      },
    },
  },
};

function operation(e: Endpoint) {
  const params: object[] = [...e.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: "path", required: true, schema: { type: "string" } }));
  if (e.query) {
    const js = schema(e.query) as { properties?: Record<string, object>; required?: string[] };
    for (const [name, s] of Object.entries(js.properties ?? {}))
      params.push({ name, in: "query", required: js.required?.includes(name) ?? false, schema: s });
  }
  const op: Record<string, unknown> = {
    summary: e.summary,
    tags: [e.tag],
    parameters: params,
    "x-roles": e.roles,
    "x-token-scopes": scopesFor(e),
    responses: {
      [e.method === "POST" ? "201" : "200"]: {
        description: "Success",
        content: { "application/json": { schema: e.response ? schema(e.response) : {} } },
      },
      "401": { description: "Not signed in and no valid API token", content: { "application/json": { schema: errorSchema } } },
      "403": { description: "Role not allowed", content: { "application/json": { schema: errorSchema } } },
      "404": { description: "Not found in your organization", content: { "application/json": { schema: errorSchema } } },
      "422": { description: "Invalid input: each issue names the field and the reason", content: { "application/json": { schema: errorSchema } } },
      "503": { description: "query_timeout: a query ran past the web's statement cap (REQUEST_STATEMENT_TIMEOUT_MS) and was stopped; ask for less (a shorter range, coarser buckets)", content: { "application/json": { schema: errorSchema } } },
    },
  };
  if (e.body) op.requestBody = { required: true, content: { "application/json": { schema: schema(e.body) } } };
  if (e.rawBody)
    op.requestBody = {
      required: true,
      content: { "text/csv": { schema: { type: "string" } }, "application/json": { schema: { type: "object" } } },
    };
  return op;
}

/** OpenAPI 3.1 document generated from the same zod schemas the handlers validate with. */
export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const e of Object.values(api) as Endpoint[]) {
    (paths[e.path] ??= {})[e.method.toLowerCase()] = operation(e);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Tokenhedge API",
      version: "1.0.0",
      description:
        "Org-scoped API. Authenticate with `Authorization: Bearer th_…` (API tokens are created by an admin) or a browser session. Money is a decimal string in USD, token counts are integer strings.",
    },
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    security: [{ bearer: [] }],
    paths,
  };
}
