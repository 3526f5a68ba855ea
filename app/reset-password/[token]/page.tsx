import Link from "next/link";
import { resetByToken } from "@/lib/services/identity";
import { ResetPasswordForm } from "@/components/account/LinkForms";

export const metadata = { title: "Reset password", referrer: "no-referrer" };
export const dynamic = "force-dynamic";

export default async function ResetPasswordPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const reset = await resetByToken(token);
  return (
    <main className="signin">
      <div className="signin-card">
        <h1 className="brand">Tokenhedge</h1>
        {reset ? (
          <>
            <p>Set a new password for <strong>{reset.email}</strong>. Every session signed in with the old one ends.</p>
            <ResetPasswordForm token={token} email={reset.email} />
          </>
        ) : (
          <>
            <p role="alert" className="error">This password reset link is invalid, already used or expired. Ask an admin for a new one.</p>
            <Link href="/sign-in">Sign in</Link>
          </>
        )}
      </div>
    </main>
  );
}
