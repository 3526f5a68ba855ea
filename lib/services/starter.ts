import { Decimal } from "decimal.js";
import { prisma } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { badRequest } from "@/lib/errors";
import { enqueueFollowUp, JOBS } from "@/lib/jobs/queue";
import starter from "@/lib/starter/models.json";
import { audit } from "./audit";
import { upsertProvider } from "./catalog";
import { bumpUsageVersion } from "./usage-rollup";

/**
 * A new organization's first steps, each ticked from its own data (never from a flag someone sets): teams,
 * a model catalog (optionally from the shipped starter list), a first usage import, first market quotes.
 */
export const STARTER = starter as {
  label: string;
  pricesAsOf: string;
  unit: string;
  classes: { key: string; name: string; description: string }[];
  models: { provider: string; name: string; class: string; version: string; input: string; output: string; cachedInput?: string; source: string }[];
};

export async function starterChecklist(ctx: Ctx) {
  const where = { organizationId: ctx.orgId };
  const [teams, models, imports, quotes] = await Promise.all([
    prisma.team.count({ where: { ...where, archivedAt: null } }),
    prisma.model.count({ where }),
    prisma.import.count({ where: { ...where, kind: "USAGE", status: "COMPLETED" } }),
    prisma.priceQuote.count({ where }),
  ]);
  const items = [
    { key: "teams", label: "Create the teams whose AI spend you track", done: teams > 0, detail: `${teams} team${teams === 1 ? "" : "s"}`, href: "/admin/teams" },
    { key: "catalog", label: "Set up the model catalog with list prices", done: models > 0, detail: `${models} model${models === 1 ? "" : "s"}`, href: "/admin/models" },
    { key: "usage", label: "Import your first usage export", done: imports > 0, detail: `${imports} completed import${imports === 1 ? "" : "s"}`, href: "/imports" },
    { key: "quotes", label: "Upload your first market quotes", done: quotes > 0, detail: `${quotes} quote${quotes === 1 ? "" : "s"}`, href: "/quotes" },
  ];
  return { items, done: items.filter((i) => i.done).length, total: items.length, catalogEmpty: models === 0 };
}

/**
 * Adds the starter list (classes, models, versions, dated list prices) once the admin has confirmed it. Classes
 * and models the org already has are left as they are; audited with the list's date.
 */
export async function addStarterCatalog(ctx: Ctx, input: { confirm: boolean }) {
  if (!input.confirm) throw badRequest("confirm: check the starter list's prices and confirm", [{ path: "body.confirm", message: "check the starter list's prices and confirm" }]);
  const effectiveFrom = new Date(`${STARTER.pricesAsOf}T00:00:00Z`);
  const added = await prisma.$transaction(async (tx) => {
    // one at a time per org: a double click (or two admins) would otherwise race the same upserts into a 500;
    // the second sees the first's rows and adds nothing
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`starter:${ctx.orgId}`}))`;
    const classIds = new Map<string, string>();
    for (const c of STARTER.classes) {
      const cls = await tx.modelClass.upsert({ where: { organizationId_key: { organizationId: ctx.orgId, key: c.key } }, create: { organizationId: ctx.orgId, ...c }, update: {} });
      classIds.set(c.key, cls.id);
    }
    const models: string[] = [];
    for (const m of STARTER.models) {
      const provider = await upsertProvider(tx, ctx.orgId, m.provider);
      if (await tx.model.findFirst({ where: { organizationId: ctx.orgId, providerId: provider.id, name: m.name }, select: { id: true } })) continue;
      const model = await tx.model.create({ data: { organizationId: ctx.orgId, providerId: provider.id, modelClassId: classIds.get(m.class)!, name: m.name } });
      await tx.modelVersion.create({ data: { organizationId: ctx.orgId, modelId: model.id, version: m.version, effectiveFrom } });
      await tx.modelPrice.create({
        data: { organizationId: ctx.orgId, modelId: model.id, effectiveFrom, inputUsdPerMTokens: new Decimal(m.input).toString(), outputUsdPerMTokens: new Decimal(m.output).toString(), cachedInputUsdPerMTokens: m.cachedInput ?? null },
      });
      const alias = m.name.toLowerCase();
      if (!(await tx.modelAlias.findFirst({ where: { organizationId: ctx.orgId, alias }, select: { id: true } }))) await tx.modelAlias.create({ data: { organizationId: ctx.orgId, alias, modelId: model.id } });
      models.push(`${m.provider} ${m.name}`);
    }
    await audit(tx, ctx, "catalog.starterAdded", "Organization", ctx.orgId, { label: STARTER.label, pricesAsOf: STARTER.pricesAsOf, models });
    if (models.length) await bumpUsageVersion(ctx.orgId, tx);
    return models;
  });
  if (added.length) await enqueueFollowUp(JOBS.rollupUsage, ctx.orgId, "starter catalog added");
  return { added: added.length, models: added, pricesAsOf: STARTER.pricesAsOf };
}
