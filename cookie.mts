import { encode } from "next-auth/jwt";
import { prisma } from "@/lib/db/client";
const org = await prisma.organization.findFirstOrThrow({ where: { slug: { startsWith: "bench-dash-" } } });
const m = await prisma.membership.findFirstOrThrow({ where: { organizationId: org.id, role: (process.argv[2] ?? "CFO") as "CFO" } });
console.log(`next-auth.session-token=${await encode({ secret: "scratch-secret-scratch-secret-1234567890", token: { uid: m.userId, orgId: org.id, sv: 0 }, maxAge: 8 * 3600 })}`);
process.exit(0);
