/** The demo organization's sign-in personas, shown on the sign-in page in demo mode. */
export const DEMO_SLUG = "demo";
export const DEMO_PASSWORD = "tokenhedge-demo";
export const DEMO_PERSONAS = [
  { email: "admin@demo.tokenhedge.test", name: "Ada Admin", role: "ADMIN" as const, team: null, label: "Admin" },
  { email: "cfo@demo.tokenhedge.test", name: "Carla CFO", role: "CFO" as const, team: null, label: "CFO" },
  { email: "procurement@demo.tokenhedge.test", name: "Pat Procurement", role: "PROCUREMENT" as const, team: null, label: "Procurement" },
  { email: "lead.support@demo.tokenhedge.test", name: "Sam Support-Lead", role: "TEAM_LEAD" as const, team: "Customer Support", label: "Team lead (Customer Support)" },
];
