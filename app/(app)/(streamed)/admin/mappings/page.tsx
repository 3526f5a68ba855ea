import { pageCtx } from "@/lib/auth/page";
import { listMappings } from "@/lib/services/mappings";
import { listTeams } from "@/lib/services/admin";
import { CreateMappingForm, DeleteMappingButton } from "@/components/admin/MappingForms";

export const metadata = { title: "Mappings" };

const SOURCE = {
  OPENAI_PROJECT: "OpenAI project", OPENAI_API_KEY: "OpenAI API key", ANTHROPIC_WORKSPACE: "Anthropic workspace", ANTHROPIC_API_KEY: "Anthropic API key",
  FOCUS_TAG: "FOCUS tag / sub-account",
} as const;

export default async function MappingsPage() {
  const ctx = await pageCtx(["ADMIN"]);
  const [mappings, teams] = await Promise.all([listMappings(ctx), listTeams(ctx)]);
  return (
    <>
      <div className="page-head"><div><h1>Team mappings</h1><p className="muted">Provider exports name projects, workspaces, API keys or tags, not teams. Map them here; imports resolve teams through this table (an API key mapping wins over its project's or workspace's).</p></div></div>
      <section className="panel"><h2>New mapping</h2><CreateMappingForm teams={teams.map((t) => ({ id: t.id, name: t.name }))} /></section>
      {mappings.length === 0 ? <div className="empty">No mappings yet.</div> : (
        <div className="table-wrap">
          <table className="data">
            <thead><tr><th>Source</th><th>External id</th><th>Team</th><th></th></tr></thead>
            <tbody>{mappings.map((m) => (
              <tr key={m.id}><td>{SOURCE[m.source]}</td><td><code>{m.externalId}</code></td><td>{m.team.name}</td><td><DeleteMappingButton id={m.id} label={`${SOURCE[m.source]} ${m.externalId}`} /></td></tr>
            ))}</tbody>
          </table>
        </div>
      )}
    </>
  );
}
