/**
 * npm run org:create -- --name "Acme Corp" --admin-email it-admin@acme.example
 *
 * For operators: creates an empty organization (the same service as the sign-up page, lib/services/orgs.ts) and
 * prints a one-time invitation link (7 days) with which its first admin sets their name and password — or, when
 * the e-mail already has an account, joins with it while signed in (several organizations per user). Needs DATABASE_URL (the database the app uses); the link starts with
 * NEXTAUTH_URL when set, else http://localhost:3000. Bad arguments: a message and exit code 2.
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { inviteLink } from "@/lib/auth/tokens";
import { prisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { createOrganizationWithAdminInvite } from "@/lib/services/identity";

const argsSchema = z.object({
  name: z.string({ error: "--name is required" }).trim().min(2, "--name must be at least 2 characters").max(120),
  "admin-email": z.string({ error: "--admin-email is required" }).trim().toLowerCase().email("--admin-email must be a valid email address"),
});

async function main() {
  const { values } = parseArgs({ options: { name: { type: "string" }, "admin-email": { type: "string" } }, strict: true });
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) {
    console.error(parsed.error.issues.map((i) => i.message).join("\n"));
    console.error('usage: npm run org:create -- --name "Acme Corp" --admin-email admin@acme.example');
    process.exitCode = 2;
    return;
  }
  const r = await createOrganizationWithAdminInvite({ name: parsed.data.name, adminEmail: parsed.data["admin-email"] });
  console.log(`Created organization "${parsed.data.name}" (${r.slug}).`);
  console.log(`Pass this one-time link to ${parsed.data["admin-email"]} (valid until ${r.expiresAt.toISOString()}):`);
  console.log(inviteLink(r.token));
}

main()
  .catch((e) => {
    console.error(e instanceof AppError ? e.message : e);
    process.exitCode = e instanceof AppError ? 2 : 1;
  })
  .finally(() => prisma.$disconnect());
