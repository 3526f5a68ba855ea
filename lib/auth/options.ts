import type { NextAuthOptions } from "next-auth";
import type { Provider } from "next-auth/providers/index";
import Credentials from "next-auth/providers/credentials";
import { authenticate, type SessionUser } from "./credentials";
import { clientIp } from "./client-ip";
import { revokeSessions } from "./sessions";
import { appBaseUrl } from "./tokens";
import { authSecret } from "@/lib/env";
import { completeSsoSignIn, SSO_PREFIX, ssoProvider } from "@/lib/services/sso";
import { maySwitchOrg } from "@/lib/services/orgs";

/** One lifetime for the cookie and the token inside it (next-auth's JWT default would be 30 days). */
export const SESSION_MAX_AGE_S = 8 * 60 * 60;

export const authOptions: NextAuthOptions = {
  secret: authSecret(),
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S, updateAge: 60 * 60 },
  jwt: { maxAge: SESSION_MAX_AGE_S },
  pages: { signIn: "/sign-in", error: "/sign-in" },
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
    /** Single sign-on: next-auth has checked state, PKCE, nonce and the ID token; the org's own rules follow. */
    async signIn({ user, account, profile }) {
      if (account?.type !== "oauth" || !account.provider.startsWith(SSO_PREFIX)) return true;
      const r = await completeSsoSignIn(account.provider, (profile ?? {}) as Record<string, unknown>, account.access_token);
      if (!r.ok) return `${appBaseUrl()}/sign-in?sso=${r.reason}`;
      Object.assign(user, r.user, { via: `sso:${r.user.orgId}` });
      return true;
    },
    async jwt({ token, user, trigger, session }) {
      if (user) {
        const u = user as unknown as SessionUser & { via?: string };
        token.uid = u.id;
        token.orgId = u.orgId;
        token.sv = u.sessionVersion;
        token.via = u.via ?? "password";
      }
      // the org switcher (components/account/OrgSwitcher.tsx): only to an org the session may act in
      const want = (session as { orgId?: unknown } | undefined)?.orgId;
      if (trigger === "update" && typeof want === "string" && typeof token.uid === "string") {
        if (await maySwitchOrg(token.uid, want, token.via as string | undefined)) token.orgId = want;
      }
      return token;
    },
    async session({ session, token }) {
      const s = session as unknown as { uid: string; orgId: string; sv: number; via: string };
      s.uid = token.uid as string;
      s.orgId = token.orgId as string;
      s.sv = typeof token.sv === "number" ? token.sv : -1;
      s.via = typeof token.via === "string" ? token.via : "password";
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

/**
 * next-auth's providers are fixed per options object; single sign-on needs one per organization. The route
 * handler asks for the options of each request: a sign-in or callback for `oidc-<org slug>` gets that org's
 * provider added (loaded from the database, secret decrypted); every other request the static options.
 */
export async function authOptionsFor(segments: readonly string[] | undefined): Promise<NextAuthOptions> {
  const [action, providerId] = segments ?? [];
  if ((action === "signin" || action === "callback") && providerId?.startsWith(SSO_PREFIX)) {
    const provider = await ssoProvider(providerId);
    if (provider) return { ...authOptions, providers: [...authOptions.providers, provider as unknown as Provider] };
  }
  return authOptions;
}
