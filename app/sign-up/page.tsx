import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { sessionCtx } from "@/lib/auth/context";
import { signUpOpen } from "@/lib/auth/signup-actions";
import { SignUpForm } from "@/components/auth/SignUpForm";

export const metadata = { title: "Create an organization" };
export const dynamic = "force-dynamic";

/** Self-service sign-up, only when the operator sets SIGNUP=open (closed by default: 404). */
export default async function SignUpPage() {
  if (!(await signUpOpen())) notFound();
  if (await sessionCtx()) redirect("/");
  return (
    <main className="signin">
      <div className="signin-card">
        <h1 className="brand">Tokenhedge</h1>
        <h2>Create an organization</h2>
        <p className="muted">You become its admin. It starts empty; a checklist guides you through teams, the model catalog, usage and quotes.</p>
        <SignUpForm />
        <p className="muted">
          Already have an account? <Link href="/sign-in">Sign in</Link>
        </p>
      </div>
    </main>
  );
}
