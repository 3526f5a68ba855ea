import type { z } from "zod";
import type { Role } from "@/lib/generated/prisma/enums";

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** One API operation: the single source for validation, access and the OpenAPI document. */
export type Endpoint = {
  method: Method;
  /** OpenAPI path, e.g. /api/v1/teams/{id} */
  path: string;
  summary: string;
  tag: string;
  roles: readonly (Role | "API")[];
  query?: z.ZodType;
  body?: z.ZodType;
  /** for uploads: request body is raw file content of this media type, not JSON */
  rawBody?: string;
  response?: z.ZodType;
};

export const defineEndpoint = <E extends Endpoint>(e: E) => e;
