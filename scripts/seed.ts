import { seedDemo } from "@/lib/demo/seed";
import { prisma } from "@/lib/db/client";
import { pgPool } from "@/lib/db/pg";

const r = await seedDemo();
console.log(r.created ? `Seeded demo organization ${r.orgId}` : `Demo organization already present (${r.orgId}); nothing to do`);
await prisma.$disconnect();
await pgPool().end();
