import { pageCtx } from "@/lib/auth/page";
import { ChangePasswordForm } from "@/components/account/ChangePasswordForm";

export const metadata = { title: "Your account" };

const ROLE_LABEL = { ADMIN: "Admin", CFO: "CFO", PROCUREMENT: "Procurement", TEAM_LEAD: "Team lead" } as const;

export default async function AccountPage() {
  const ctx = await pageCtx();
  return (
    <>
      <div className="page-head"><h1>Your account</h1></div>
      <section className="panel">
        <p>{ctx.actorName} · {ROLE_LABEL[ctx.role]} in {ctx.orgName}</p>
      </section>
      <section className="panel">
        <h2>Change password</h2>
        <p className="muted">Changing your password signs you out everywhere, on this device too.</p>
        <ChangePasswordForm />
      </section>
    </>
  );
}
