import Link from "next/link";
import { pageCtx } from "@/lib/auth/page";
import { NAV } from "@/lib/auth/nav";
import { SignOutButton } from "@/components/auth/SignOutButton";
import { NavLinks } from "@/components/ui/NavLinks";
import { Providers } from "@/components/Providers";
import { RouteFocus } from "@/components/ui/RouteFocus";
import { SidebarMenu } from "@/components/ui/SidebarMenu";
import { contractAlerts } from "@/lib/services/hedging/contracts";
import { OrgSwitcher } from "@/components/account/OrgSwitcher";
import { userOrgs } from "@/lib/services/orgs";

const ROLE_LABEL = { ADMIN: "Admin", CFO: "CFO", PROCUREMENT: "Procurement", TEAM_LEAD: "Team lead" } as const;

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const ctx = await pageCtx();
  const [alerts, orgs] = await Promise.all([ctx.role === "CFO" || ctx.role === "PROCUREMENT" ? contractAlerts(ctx) : null, userOrgs(ctx, ctx.via)]);
  const badges: Record<string, { count: number; label: string }> = alerts
    ? {
        "/approvals": { count: alerts.pendingApprovals, label: "contracts waiting for your approval" },
        "/contracts": { count: ctx.role === "PROCUREMENT" ? alerts.drifted : 0, label: "open contracts with model drift" },
      }
    : {};
  return (
    <div className="shell">
      <a href="#main" className="skip">Skip to content</a>
      <aside className="sidebar">
        <Link href="/" className="brand">Tokenhedge</Link>
        <SidebarMenu>
          <div className="org">
            {orgs.length > 1 ? <OrgSwitcher orgs={orgs} /> : ctx.orgName}
            {ctx.isDemo && <span className="badge demo" title="All data in this organization is generated demo data">Demo data</span>}
          </div>
          <NavLinks items={NAV[ctx.role]} badges={badges} />
          <div className="whoami">
            <div>{ctx.actorName}</div>
            <div className="muted">{ROLE_LABEL[ctx.role]}</div>
            <Link href="/account" className="btn link">Your account</Link>{" "}
            <SignOutButton />
          </div>
        </SidebarMenu>
      </aside>
      <main id="main" className="content" tabIndex={-1}>
        <RouteFocus />
        <Providers>{children}</Providers>
      </main>
    </div>
  );
}
