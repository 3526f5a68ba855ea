import { pageCtx } from "@/lib/auth/page";
import { orgOverview } from "@/lib/services/org";
import { fmtDate, fmtDateTime } from "@/lib/format";
import { SettingsForm } from "@/components/admin/SettingsForm";
import { SsoForm } from "@/components/admin/SsoForm";
import { getSsoSettings } from "@/lib/services/sso";
import { StarterChecklist } from "@/components/admin/StarterChecklist";
import { STARTER, starterChecklist } from "@/lib/services/starter";

export const metadata = { title: "Organization" };

export default async function OrgPage() {
  const ctx = await pageCtx(["ADMIN"]);
  const [o, sso, checklist] = await Promise.all([orgOverview(ctx), getSsoSettings(ctx), starterChecklist(ctx)]);
  const roles = Object.fromEntries(o.members.map((m) => [m.role, m._count]));
  return (
    <>
      <div className="page-head">
        <div>
          <h1>{o.org.name}</h1>
          <p className="muted">
            Created {fmtDateTime(o.org.createdAt)}. {o.org.isDemo && <span className="badge demo">Demo organization — generated data</span>}
          </p>
        </div>
      </div>
      {checklist.done < checklist.total && <StarterChecklist {...checklist} starter={STARTER} />}
      <div className="grid">
        <div className="panel kpi"><div className="label">Teams</div><div className="value">{o.teams}</div></div>
        <div className="panel kpi"><div className="label">Users</div><div className="value">{o.members.reduce((s, m) => s + m._count, 0)}</div>
          <div className="muted">{["ADMIN", "CFO", "PROCUREMENT", "TEAM_LEAD"].map((r) => `${r.toLowerCase().replace("_", " ")}: ${roles[r] ?? 0}`).join(" · ")}</div></div>
        <div className="panel kpi"><div className="label">Catalog</div><div className="value">{o.models} models</div><div className="muted">in {o.classes} classes</div></div>
        <div className="panel kpi"><div className="label">Usage records</div><div className="value">{o.usage.records.toLocaleString("en-US")}</div>
          <div className="muted">{fmtDate(o.usage.first)} → {fmtDate(o.usage.last)} from {o.imports} imports</div></div>
      </div>
      <section className="panel">
        <h2>Settings</h2>
        <div className="table-wrap"><table className="data">
          <tbody>
            <tr><th>Import error threshold</th><td>{o.settings.importErrorThresholdPct}% invalid rows rejects a whole file</td></tr>
            <tr><th>FOCUS team column / tag</th><td><code>{o.settings.focus.teamColumn}</code> / <code>Tags.{o.settings.focus.teamTag}</code></td></tr>
            <tr><th>FOCUS token type tag</th><td><code>Tags.{o.settings.focus.tokenTypeTag}</code> names each row&apos;s token kind (before SkuPriceId, SkuId, ConsumedUnit and ChargeDescription)</td></tr>
            <tr><th>FOCUS cost column</th><td><code>{o.settings.focus.costColumn}</code> is stored as each usage row&apos;s reported cost</td></tr>
            <tr><th>Curve flags</th><td>stale after {o.settings.curve.staleDays} days · wide above {o.settings.curve.wideSpreadPct}% spread · thin below {o.settings.curve.thinMinQuotes} quotes · quote half-life {o.settings.curve.halfLifeDays} days</td></tr>
          </tbody>
        </table></div>
        <h3>Change settings</h3>
        <SettingsForm settings={o.settings} />
      </section>
      <section className="panel" aria-labelledby="sso-h">
        <h2 id="sso-h">Single sign-on (OpenID Connect)</h2>
        <p className="muted">
          {sso.configured
            ? `${sso.enabled ? "On" : "Off"}: people with an e-mail at ${sso.allowedDomains.join(", ")} sign in through ${sso.issuer}${sso.ssoRequired ? "; passwords are refused for members" : ""}.`
            : "Not set up: members sign in with their password."}
        </p>
        <SsoForm sso={sso} />
      </section>
    </>
  );
}
