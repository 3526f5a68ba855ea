import { Readable } from "node:stream";
import Decimal from "decimal.js";
import { prisma } from "@/lib/db/client";
import { hashPassword } from "@/lib/auth/password";
import type { Ctx } from "@/lib/auth/context";
import { importUsage } from "@/lib/services/usage-import";
import { upsertProvider } from "@/lib/services/catalog";
import { log } from "@/lib/log";
import { DEMO_CLASSES, DEMO_MAPPINGS, DEMO_MODELS, DEMO_TEAMS } from "./catalog";
import { demoUsageCsv } from "./usage";
import { demoQuotesCsv } from "./market";
import { importQuotes, parseQuotesCsv } from "@/lib/services/quotes";
import { rebuildCurves } from "@/lib/services/curves";
import { runForecasts } from "@/lib/services/forecasts";

export const DEMO_SLUG = "demo";
export const DEMO_PASSWORD = "tokenhedge-demo";
export const DEMO_PERSONAS = [
  { email: "admin@demo.tokenhedge.test", name: "Ada Admin", role: "ADMIN" as const, team: null, label: "Admin" },
  { email: "cfo@demo.tokenhedge.test", name: "Carla CFO", role: "CFO" as const, team: null, label: "CFO" },
  { email: "procurement@demo.tokenhedge.test", name: "Pat Procurement", role: "PROCUREMENT" as const, team: null, label: "Procurement" },
  { email: "lead.support@demo.tokenhedge.test", name: "Sam Support-Lead", role: "TEAM_LEAD" as const, team: "Customer Support", label: "Team lead (Customer Support)" },
];

const DAY = 86_400_000;
const utcDay = (d: Date) => new Date(Math.floor(d.getTime() / DAY) * DAY);

/**
 * Seeds the labelled demo organization once. Usage goes through the real import path (importUsage) from a
 * generated Tokenhedge CSV, so demo data is produced exactly as customer data would be.
 */
export async function seedDemo(opts: { today?: Date; slug?: string; name?: string; emailDomain?: string } = {}) {
  const slug = opts.slug ?? DEMO_SLUG;
  const existing = await prisma.organization.findUnique({ where: { slug } });
  if (existing) return { orgId: existing.id, created: false };
  const today = utcDay(opts.today ?? new Date());
  const ago = (n: number) => new Date(today.getTime() - n * DAY);
  const domain = opts.emailDomain ?? "demo.tokenhedge.test";
  const passwordHash = await hashPassword(DEMO_PASSWORD);

  const org = await prisma.$transaction(async (tx) => {
    const org = await tx.organization.create({ data: { name: opts.name ?? "Demo organization (Acme AI)", slug, isDemo: true } });
    const teams = new Map<string, string>();
    for (const name of DEMO_TEAMS) teams.set(name, (await tx.team.create({ data: { organizationId: org.id, name } })).id);
    for (const p of DEMO_PERSONAS) {
      const user = await tx.user.create({ data: { email: p.email.replace("demo.tokenhedge.test", domain), name: p.name, passwordHash } });
      await tx.membership.create({ data: { organizationId: org.id, userId: user.id, role: p.role, teamId: p.team ? teams.get(p.team)! : null } });
    }
    const classes = new Map<string, string>();
    for (const c of DEMO_CLASSES) {
      const mc = await tx.modelClass.create({ data: { organizationId: org.id, key: c.key, name: c.name, description: c.description } });
      classes.set(c.key, mc.id);
      await tx.qualityScore.create({ data: { organizationId: org.id, modelClassId: mc.id, benchmark: "Composite (demo)", score: c.quality, effectiveFrom: ago(460) } });
    }
    for (const m of DEMO_MODELS) {
      const provider = await upsertProvider(tx, org.id, m.provider);
      const model = await tx.model.create({ data: { organizationId: org.id, providerId: provider.id, modelClassId: classes.get(m.cls)!, name: m.name } });
      for (const v of m.versions) await tx.modelVersion.create({ data: { organizationId: org.id, modelId: model.id, version: v.version, effectiveFrom: ago(v.fromDaysAgo) } });
      await tx.modelPrice.create({ data: { organizationId: org.id, modelId: model.id, effectiveFrom: ago(460), inputUsdPerMTokens: m.input, outputUsdPerMTokens: m.output, cachedInputUsdPerMTokens: new Decimal(m.input).mul("0.25").toFixed(6) } });
      let factor = new Decimal(1);
      for (const cut of m.cuts) {
        factor = factor.mul(cut.factor);
        await tx.modelPrice.create({
          data: {
            organizationId: org.id, modelId: model.id, effectiveFrom: ago(cut.fromDaysAgo),
            inputUsdPerMTokens: new Decimal(m.input).mul(factor).toFixed(6), outputUsdPerMTokens: new Decimal(m.output).mul(factor).toFixed(6),
            cachedInputUsdPerMTokens: new Decimal(m.input).mul(factor).mul("0.25").toFixed(6),
          },
        });
      }
      for (const a of m.aliases ?? []) await tx.modelAlias.create({ data: { organizationId: org.id, alias: a, modelId: model.id } });
    }
    for (const mp of DEMO_MAPPINGS) await tx.teamMapping.create({ data: { organizationId: org.id, source: mp.source, externalId: mp.externalId, teamId: teams.get(mp.team)! } });
    await tx.auditEvent.create({ data: { organizationId: org.id, action: "demo.seeded", entity: "Organization", entityId: org.id, data: { note: "Demo organization generated by the seed script" } } });
    return org;
  });

  const ctx: Ctx = { orgId: org.id, orgName: org.name, isDemo: true, actorId: null, actorName: "demo seed", role: "ADMIN", teamId: null };
  const res = await importUsage(ctx, {
    fileName: `demo-usage-${ago(1).toISOString().slice(0, 10)}.csv`,
    body: Readable.from(demoUsageCsv(ago(1))),
    mode: "commit",
    onErrors: "reject",
    isDemo: true,
  });
  log.info({ orgId: org.id, rows: res.rowsAccepted, status: res.status }, "demo usage imported");
  if (res.status !== "COMPLETED") throw new Error(`Demo usage import failed: ${res.message} ${JSON.stringify(res.errors.slice(0, 3))}`);

  const quotes = await importQuotes(ctx, parseQuotesCsv([...demoQuotesCsv(ago(0))].join("")), { fileName: `demo-quotes-${ago(0).toISOString().slice(0, 10)}.csv`, isDemo: true });
  if (quotes.status !== "COMPLETED") throw new Error(`Demo quotes import failed: ${quotes.message} ${JSON.stringify(quotes.errors.slice(0, 3))}`);
  // Curve history as it would have been built: weekly for half a year, then today
  for (let w = 26; w >= 0; w--) await rebuildCurves(org.id, ago(w * 7));
  log.info({ orgId: org.id, quotes: quotes.rowsAccepted }, "demo market imported, curves built");
  const fc = await runForecasts(org.id, today);
  log.info({ orgId: org.id, series: fc.series }, "demo forecasts computed");
  return { orgId: org.id, created: true };
}
