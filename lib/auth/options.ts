import type { NextAuthOptions } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { authenticate, type SessionUser } from "./credentials";
import { clientIp } from "./client-ip";
import { revokeSessions } from "./sessions";
import { authSecret } from "@/lib/env";

/** One lifetime for the cookie and the token inside it (next-auth's JWT default would be 30 days). */
export const SESSION_MAX_AGE_S = 8 * 60 * 60;

export const authOptions: NextAuthOptions = {
  secret: authSecret(),
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S, updateAge: 60 * 60 },
  jwt: { maxAge: SESSION_MAX_AGE_S },
  pages: { signIn: "/sign-in" },
  providers: [
    Credentials({
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, req) {
        const u = await authenticate(credentials, clientIp(req?.headers as Record<string, unknown>));
        return { id: u.id, email: u.email, name: u.name, orgId: u.orgId, role: u.role, teamId: u.teamId, sessionVersion: u.sessionVersion };
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      if (user) {
        const u = user as unknown as SessionUser;
        token.uid = u.id;
        token.orgId = u.orgId;
        token.sv = u.sessionVersion;
      }
      return token;
    },
    async session({ session, token }) {
      const s = session as unknown as { uid: string; orgId: string; sv: number };
      s.uid = token.uid as string;
      s.orgId = token.orgId as string;
      s.sv = typeof token.sv === "number" ? token.sv : -1;
      return session;
    },
  },
  events: {
    // Sign-out revokes the user's sessions everywhere: a copy of the cookie kept elsewhere stops working.
    async signOut({ token }) {
      if (typeof token?.uid === "string") await revokeSessions(token.uid);
    },
  },
};
