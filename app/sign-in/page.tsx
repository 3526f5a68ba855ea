import { redirect } from "next/navigation";
import { env } from "@/lib/env";
import { prisma } from "@/lib/db/client";
import { sessionCtx } from "@/lib/auth/context";
import { DEMO_PASSWORD, DEMO_PERSONAS, DEMO_SLUG } from "@/lib/demo/personas";
import { SignInForm } from "@/components/auth/SignInForm";

export const metadata = { title: "Sign in" };

export const dynamic = "force-dynamic";

export default async function SignInPage() {
  if (await sessionCtx()) redirect("/");
  const demoOrg = env().DEMO_MODE === "1" ? await prisma.organization.findUnique({ where: { slug: DEMO_SLUG } }) : null;
  return (
    <main className="signin">
      <div className="signin-card">
        <h1 className="brand">Tokenhedge</h1>
        <p className="muted">Budget certainty for AI spend: forecast token demand, hedge it with forward capacity.</p>
        <SignInForm />
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
