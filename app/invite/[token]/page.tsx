import Link from "next/link";
import { invitationByToken } from "@/lib/services/identity";
import { sessionCtx } from "@/lib/auth/context";
import { prisma } from "@/lib/db/client";
import { AcceptInvitationForm, JoinInvitationButton } from "@/components/account/LinkForms";

export const metadata = { title: "Invitation", referrer: "no-referrer" };
export const dynamic = "force-dynamic";

const ROLE = { ADMIN: "an admin", CFO: "the CFO", PROCUREMENT: "procurement", TEAM_LEAD: "a team lead" } as const;

export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const inv = await invitationByToken(token);
  const ctx = inv?.hasAccount ? await sessionCtx() : null;
  const signedInAs = ctx?.actorId ? (await prisma.user.findUnique({ where: { id: ctx.actorId }, select: { email: true } }))?.email : null;
  return (
    <main className="signin">
      <div className="signin-card">
        <h1 className="brand">Tokenhedge</h1>
        {inv && inv.hasAccount ? (
          <>
            <p>You are invited to join <strong>{inv.orgName}</strong> as {ROLE[inv.role]}. {inv.email} already has a Tokenhedge account: join with it.</p>
            {signedInAs === inv.email ? (
              <JoinInvitationButton token={token} orgName={inv.orgName} />
            ) : (
              <p>
                {signedInAs ? `You are signed in as ${signedInAs}. ` : ""}
                <Link href="/sign-in">Sign in as {inv.email}</Link>, then open this link again.
              </p>
            )}
          </>
        ) : inv ? (
          <>
            <p>You are invited to join <strong>{inv.orgName}</strong> as {ROLE[inv.role]}. Choose your name and a password.</p>
            <AcceptInvitationForm token={token} email={inv.email} />
          </>
        ) : (
          <>
            <p role="alert" className="error">This invitation link is invalid, already used, revoked or expired. Ask an admin of your organization for a new one.</p>
            <Link href="/sign-in">Sign in</Link>
          </>
        )}
      </div>
    </main>
  );
}
