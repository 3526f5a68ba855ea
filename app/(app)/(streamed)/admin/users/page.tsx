import { pageCtx } from "@/lib/auth/page";
import { listTeams, listUsers } from "@/lib/services/admin";
import { CreateUserForm, RemoveUserButton } from "@/components/admin/UserForms";

export const metadata = { title: "Users" };

const ROLE = { ADMIN: "Admin", CFO: "CFO", PROCUREMENT: "Procurement", TEAM_LEAD: "Team lead" } as const;

export default async function UsersPage() {
  const ctx = await pageCtx(["ADMIN"]);
  const [users, teams] = await Promise.all([listUsers(ctx), listTeams(ctx)]);
  return (
    <>
      <div className="page-head"><h1>Users</h1></div>
      <section className="panel">
        <h2>Add a user</h2>
        <p className="muted">Team leads are bound to one team and see only its usage and chargeback.</p>
        <CreateUserForm teams={teams.map((t) => ({ id: t.id, name: t.name }))} />
      </section>
      <div className="table-wrap">
        <table className="data">
          <thead><tr><th>Name</th><th>Email</th><th>Role</th><th>Team</th><th><span className="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {users.map((m) => (
              <tr key={m.id}>
                <td>{m.user.name}</td><td>{m.user.email}</td><td>{ROLE[m.role]}</td><td>{m.team?.name ?? "—"}</td>
                <td>{m.userId !== ctx.actorId && <RemoveUserButton userId={m.userId} name={m.user.name} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
