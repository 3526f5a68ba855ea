import { pageCtx } from "@/lib/auth/page";
import { listTeams, listUsers } from "@/lib/services/admin";
import { listInvitations } from "@/lib/services/identity";
import { ActiveToggleButton, CreateUserForm, EditMemberButton, InviteForm, RemoveUserButton, ResetLinkButton, RevokeInvitationButton } from "@/components/admin/UserForms";
import { fmtDate } from "@/lib/format";

export const metadata = { title: "Users" };

const ROLE = { ADMIN: "Admin", CFO: "CFO", PROCUREMENT: "Procurement", TEAM_LEAD: "Team lead" } as const;

export default async function UsersPage() {
  const ctx = await pageCtx(["ADMIN"]);
  const [users, teams, invitations] = await Promise.all([listUsers(ctx), listTeams(ctx), listInvitations(ctx)]);
  const teamOptions = teams.map((t) => ({ id: t.id, name: t.name }));
  return (
    <>
      <div className="page-head"><h1>Users</h1></div>
      <section className="panel">
        <h2>Add a user</h2>
        <p className="muted">Team leads are bound to one team and see only its usage and chargeback.</p>
        <CreateUserForm teams={teamOptions} />
      </section>
      <section className="panel">
        <h2>Invitations</h2>
        <p className="muted">An invitation is a one-time link, valid for 7 days, with which the invitee sets their own name and password.</p>
        <InviteForm teams={teamOptions} />
        {invitations.length > 0 && (
          <div className="table-wrap">
            <table className="data">
              <caption className="sr-only">Pending invitations</caption>
              <thead><tr><th>Invited</th><th>As</th><th>Team</th><th>Expires</th><th><span className="sr-only">Actions</span></th></tr></thead>
              <tbody>
                {invitations.map((i) => (
                  <tr key={i.id}>
                    <td>{i.email}</td><td>{ROLE[i.role]}</td><td>{i.team?.name ?? "—"}</td><td>{fmtDate(i.expiresAt)}</td>
                    <td><RevokeInvitationButton id={i.id} email={i.email} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <div className="table-wrap">
        <table className="data">
          <thead><tr><th>Name</th><th>Email</th><th>Role</th><th>Team</th><th>Status</th><th><span className="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {users.map((m) => (
              <tr key={m.id}>
                <td>{m.user.name}</td><td>{m.user.email}</td><td>{ROLE[m.role]}</td><td>{m.team?.name ?? "—"}</td>
                <td>{m.deactivatedAt ? <span className="badge bad">Deactivated</span> : "Active"}</td>
                <td>
                  {m.userId !== ctx.actorId && (
                    <div className="actions">
                      <EditMemberButton userId={m.userId} name={m.user.name} role={m.role} teamId={m.teamId} teams={teamOptions} />
                      <ActiveToggleButton userId={m.userId} name={m.user.name} active={!m.deactivatedAt} />
                      {!m.deactivatedAt && <ResetLinkButton userId={m.userId} name={m.user.name} />}
                      <RemoveUserButton userId={m.userId} name={m.user.name} />
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
