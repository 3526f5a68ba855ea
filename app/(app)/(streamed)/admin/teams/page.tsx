import { pageCtx } from "@/lib/auth/page";
import { listTeams } from "@/lib/services/admin";
import { CreateTeamForm } from "@/components/admin/CreateTeamForm";
import { TeamActions } from "@/components/admin/TeamActions";
import { fmtDate } from "@/lib/format";

export const metadata = { title: "Teams" };

export default async function TeamsPage() {
  const ctx = await pageCtx(["ADMIN"]);
  const teams = await listTeams(ctx, { includeArchived: true });
  return (
    <>
      <div className="page-head"><h1>Teams</h1></div>
      <section className="panel">
        <h2>New team</h2>
        <CreateTeamForm />
      </section>
      {teams.length === 0 ? (
        <div className="empty">No teams yet. Create the first one above; usage files refer to teams by name.</div>
      ) : (
        <div className="table-wrap">
          <p className="muted">Archived teams keep their usage and history but are left out of team pickers; restore one to use it again.</p>
          <table className="data">
            <thead><tr><th>Team</th><th>Cost center</th><th className="num">Members</th><th>Created</th><th>Status</th><th><span className="sr-only">Actions</span></th></tr></thead>
            <tbody>
              {teams.map((t) => (
                <tr key={t.id}>
                  <td>{t.name}</td><td>{t.costCenter ?? "—"}</td><td className="num">{t._count.memberships}</td><td>{fmtDate(t.createdAt)}</td>
                  <td>{t.archivedAt ? <span className="badge flag">Archived {fmtDate(t.archivedAt)}</span> : "Active"}</td>
                  <td><TeamActions teamId={t.id} name={t.name} archived={!!t.archivedAt} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
