import { seedDemo } from "@/lib/demo/seed";
import { prisma } from "@/lib/db/client";
import { scenarioView } from "@/lib/services/hedging/dashboard";
let org = await prisma.organization.findFirst({ where: { slug: "scratch" } });
if (!org) { await seedDemo({ slug: "scratch", name: "Scratch", emailDomain: "scratch.test" }); org = await prisma.organization.findFirstOrThrow({ where: { slug: "scratch" } }); }
const cfo = (await prisma.membership.findFirstOrThrow({ where: { organizationId: org.id, role: "CFO" } }));
const ctx = { orgId: org.id, orgName: org.name, isDemo: true, actorId: cfo.userId, actorName: "x", role: "CFO" as const, teamId: null };
await scenarioView(ctx as never, { spotChangePct: 30, demandChangePct: 20 });
const N = 300; const t0 = performance.now();
for (let i = 0; i < N; i++) await scenarioView(ctx as never, { spotChangePct: (i % 50) - 20, demandChangePct: 20 });
console.log(((performance.now() - t0) / N).toFixed(2), "ms per ask");
await prisma.$disconnect();
