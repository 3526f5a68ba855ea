import { openApiDocument } from "@/lib/api/openapi";
import { jsonResponse } from "@/lib/api/json";

export const dynamic = "force-static";
export function GET() {
  return jsonResponse(openApiDocument());
}
