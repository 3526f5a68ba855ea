/** JSON for API responses: bigint token counts and Decimal money become strings, never floats. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
}

export function jsonResponse(value: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(toJson(value), { status, headers: { "content-type": "application/json", ...headers } });
}
