import { redirect } from "next/navigation";
import { env } from "@/lib/env";
import { prisma } from "@/lib/db/client";
import { sessionCtx } from "@/lib/auth/context";
import { DEMO_PASSWORD, DEMO_PERSONAS, DEMO_SLUG } from "@/lib/demo/personas";
import { SignInForm } from "@/components/auth/SignInForm";
import { SsoSignInForm } from "@/components/auth/SsoSignInForm";

export const metadata = { title: "Sign in" };

export const dynamic = "force-dynamic";

/** Why a single sign-on came back refused (lib/services/sso.ts SsoRefusal) or failed (next-auth's error codes). */
const SSO_MESSAGES: Record<string, string> = {
  domain: "Single sign-on refused: your e-mail address is not in a domain this organization accepts. Ask your admin to add your domain or to invite you.",
  unverified: "Single sign-on refused: your identity provider did not confirm your e-mail address.",
  issuer: "Single sign-on refused: the identity provider that answered is not the one this organization configured. Tell your admin.",
  deactivated: "Your membership of this organization is deactivated. Ask an admin to reactivate it.",
  unconfigured: "Single sign-on is not set up, or was turned off, for this organization.",
  existing: "An account with this e-mail already exists. Ask this organization's admin for an invitation, accept it signed in with that account, then use single sign-on.",
};
const errorMessage = (code: string) =>
  ["OAuthSignin", "OAuthCallback", "Callback", "OAuthAccountNotLinked"].includes(code)
    ? "Single sign-on failed: the answer from your identity provider could not be verified. Try again."
    : code === "AccessDenied" ? "Sign-in was refused." : "Sign-in failed. Try again.";

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ sso?: string; error?: string }> }) {
  if (await sessionCtx()) redirect("/");
  const q = await searchParams;
  const notice = q.sso ? (SSO_MESSAGES[q.sso] ?? null) : q.error && q.error !== "CredentialsSignin" ? errorMessage(q.error) : null;
  const demoOrg = env().DEMO_MODE === "1" ? await prisma.organization.findUnique({ where: { slug: DEMO_SLUG } }) : null;
  return (
    <main className="signin">
      <div className="signin-card">
        <h1 className="brand">Tokenhedge</h1>
        <p className="muted">Budget certainty for AI spend: forecast token demand, hedge it with forward capacity.</p>
        {notice && <p role="alert" className="error" data-testid="sign-in-notice">{notice}</p>}
        <SignInForm />
        <SsoSignInForm />
        {demoOrg && (
          <section className="demo-box" aria-labelledby="demo-h">
            <h2 id="demo-h">Demo organization</h2>
            <p className="muted">
              &ldquo;{demoOrg.name}&rdquo; holds generated demo data. Every persona uses the password <code>{DEMO_PASSWORD}</code>.
            </p>
            <ul className="persona-list">
              {DEMO_PERSONAS.map((p) => (
                <li key={p.email}>
                  <strong>{p.label}</strong> <code>{p.email}</code>
                </li>
              ))}
            </ul>
          </section>
        )}
      </div>
    </main>
  );
}
