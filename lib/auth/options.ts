import type { NextAuthOptions } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { authenticate, type SessionUser } from "./credentials";
import { authSecret } from "@/lib/env";

function clientIp(headers: Record<string, unknown> | undefined): string {
  const fwd = headers?.["x-forwarded-for"];
  const first = typeof fwd === "string" ? fwd.split(",")[0].trim() : "";
  return first || "local";
}

export const authOptions: NextAuthOptions = {
  secret: authSecret(),
  session: { strategy: "jwt", maxAge: 8 * 60 * 60 },
  pages: { signIn: "/sign-in" },
  providers: [
    Credentials({
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, req) {
        const u = await authenticate(credentials, clientIp(req?.headers as Record<string, unknown>));
        return { id: u.id, email: u.email, name: u.name, orgId: u.orgId, role: u.role, teamId: u.teamId };
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      if (user) {
        const u = user as unknown as SessionUser;
        token.uid = u.id;
        token.orgId = u.orgId;
      }
      return token;
    },
    async session({ session, token }) {
      (session as unknown as { uid: string }).uid = token.uid as string;
      (session as unknown as { orgId: string }).orgId = token.orgId as string;
      return session;
    },
  },
};
