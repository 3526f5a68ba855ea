import { prisma } from "@/lib/db/client";
import { jsonResponse } from "@/lib/api/json";

export const dynamic = "force-dynamic";
export async function GET() {
  const started = Date.now();
  try {
    await prisma.$queryRaw`SELECT 1`;
    return jsonResponse({ status: "ok", db: "ok", dbLatencyMs: Date.now() - started });
  } catch (e) {
    return jsonResponse({ status: "error", db: "unreachable", error: (e as Error).message }, 503);
  }
}
