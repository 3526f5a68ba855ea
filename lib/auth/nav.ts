import type { Role } from "@/lib/generated/prisma/enums";

export type NavItem = { href: string; label: string };

/** Navigation by role; each page also checks the role on the server, this only decides what is shown. */
export const NAV: Record<Role, NavItem[]> = {
  CFO: [
    { href: "/dashboard", label: "Dashboard" },
    { href: "/reports/monthly", label: "Monthly report" },
    { href: "/approvals", label: "Approvals" },
    { href: "/contracts", label: "Contracts" },
    { href: "/chargebacks", label: "Chargebacks" },
    { href: "/hedging/recommendations", label: "Recommendations" },
    { href: "/hedging/policy", label: "Hedge policy" },
    { href: "/market", label: "Forward curves" },
    { href: "/forecasts", label: "Forecasts" },
    { href: "/usage", label: "Usage explorer" },
  ],
  PROCUREMENT: [
    { href: "/procurement", label: "To do" },
    { href: "/hedging/recommendations", label: "Recommendations" },
    { href: "/contracts", label: "Contracts" },
    { href: "/counterparties", label: "Counterparties" },
    { href: "/market", label: "Market & curves" },
    { href: "/quotes", label: "Quotes" },
    { href: "/forecasts", label: "Forecasts" },
    { href: "/imports", label: "Usage imports" },
    { href: "/usage", label: "Usage explorer" },
  ],
  TEAM_LEAD: [
    { href: "/my-team", label: "My team" },
    { href: "/forecasts", label: "Team forecast" },
    { href: "/usage", label: "Usage explorer" },
  ],
  ADMIN: [
    { href: "/admin/org", label: "Organization" },
    { href: "/admin/teams", label: "Teams" },
    { href: "/admin/users", label: "Users" },
    { href: "/admin/models", label: "Model catalog" },
    { href: "/admin/mappings", label: "Mappings" },
    { href: "/hedging/policy", label: "Hedge policy" },
    { href: "/chargebacks", label: "Chargebacks" },
    { href: "/imports", label: "Usage imports" },
    { href: "/usage", label: "Usage explorer" },
    { href: "/admin/tokens", label: "API tokens" },
    { href: "/admin/jobs", label: "Job log" },
    { href: "/admin/audit", label: "Audit log" },
  ],
};

export const HOME: Record<Role, string> = { CFO: "/dashboard", PROCUREMENT: "/procurement", TEAM_LEAD: "/my-team", ADMIN: "/admin/org" };
