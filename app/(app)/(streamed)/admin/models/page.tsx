import { pageCtx } from "@/lib/auth/page";
import { listModelClasses, listModels, listQualityScores } from "@/lib/services/catalog";
import { CreateClassForm, CreateModelForm, ModelRowActions, QualityScoreForm } from "@/components/admin/CatalogForms";
import { fmtDate, fmtUsd } from "@/lib/format";

export const metadata = { title: "Model catalog" };

export default async function ModelsPage() {
  const ctx = await pageCtx(["ADMIN"]);
  const [classes, models, scores] = await Promise.all([listModelClasses(ctx), listModels(ctx), listQualityScores(ctx)]);
  const now = new Date();
  const classOpts = classes.map((c) => ({ id: c.id, name: c.name }));
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Model catalog</h1>
          <p className="muted">List prices per 1M tokens are effective-dated; a new version behind a model is recorded as drift.</p>
        </div>
      </div>
      <h2>Models</h2>
      {models.length === 0 ? (
        <div className="empty">No models yet. Add a model class, then a model.</div>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr><th>Provider</th><th>Model</th><th>Class</th><th>Version in force</th><th className="num">Input /1M</th><th className="num">Output /1M</th><th>Price since</th><th>History</th><th>Change</th></tr>
            </thead>
            <tbody>
              {models.map((m) => (
                <tr key={m.id}>
                  <td>{m.provider.name}</td>
                  <td>{m.name}</td>
                  <td>{m.modelClass.name}</td>
                  <td>{m.currentVersion ? `${m.currentVersion.version} (since ${fmtDate(m.currentVersion.effectiveFrom)})` : "—"}</td>
                  <td className="num">{fmtUsd(m.currentPrice?.inputUsdPerMTokens.toString(), 4)}</td>
                  <td className="num">{fmtUsd(m.currentPrice?.outputUsdPerMTokens.toString(), 4)}</td>
                  <td>{fmtDate(m.currentPrice?.effectiveFrom)}</td>
                  <td className="muted">{m.prices.length} prices, {m.versions.length} versions</td>
                  <td><ModelRowActions modelId={m.id} label={`${m.provider.name} ${m.name}`} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <section className="panel" style={{ marginTop: "1rem" }}>
        <h2>Add a model</h2>
        {classOpts.length ? <CreateModelForm classes={classOpts} /> : <p className="muted">Create a model class first.</p>}
      </section>
      <h2>Model classes</h2>
      <div className="table-wrap">
        <table className="data">
          <thead><tr><th>Key</th><th>Name</th><th>Description</th><th className="num">Models</th><th>Quality score in force</th><th>Quality</th></tr></thead>
          <tbody>
            {classes.map((c) => {
              const q = scores.find((s) => s.modelClassId === c.id && s.effectiveFrom <= now);
              return (
                <tr key={c.id}>
                  <td><code>{c.key}</code></td><td>{c.name}</td><td>{c.description ?? "—"}</td><td className="num">{models.filter((m) => m.modelClassId === c.id).length}</td>
                  <td>{q ? `${q.score.toString()} (${q.benchmark}, since ${fmtDate(q.effectiveFrom)})` : "—"}</td>
                  <td><QualityScoreForm classId={c.id} label={c.name} /></td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <section className="panel" style={{ marginTop: "1rem" }}>
        <h2>Add a model class</h2>
        <CreateClassForm />
      </section>
    </>
  );
}
