import type { NextRequest } from "next/server";
import NextAuth from "next-auth";
import { authOptionsFor } from "@/lib/auth/options";

type Context = { params: Promise<{ nextauth: string[] }> };

/** Options per request: a single sign-on request gets its organization's OpenID Connect provider (lib/auth/options.ts). */
async function handler(req: NextRequest, ctx: Context) {
  const { nextauth } = await ctx.params;
  return NextAuth(req, ctx, await authOptionsFor(nextauth));
}
export { handler as GET, handler as POST };
