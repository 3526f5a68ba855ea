import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { makeOrg } from "./fixtures";
import { call, signInAs } from "./route";

vi.mock("next-auth", async (o) => ({ ...(await o<object>()), getServerSession: async () => (await import("./route")).session.current }));
import { prisma } from "@/lib/db/client";
import { QueryAbandonedError, QueryScope, runInQueryScope } from "@/lib/db/cancel";
import { applicationName, cancelBackend, pgPool, sessionPool } from "@/lib/db/pg";
import { cachedRead, clearReadCache } from "@/lib/services/read-cache";
import { isStatementTimeout } from "@/lib/db/errors";

/** A marker in the SQL text, so pg_stat_activity tells this test's sleeps apart from anything else. */
const tag = () => `cancel_${Math.random().toString(36).slice(2, 10)}`;
const sleepSql = (t: string, s = 20) => `SELECT pg_sleep(${s})::text AS "${t}"`;

async function running(t: string): Promise<number> {
  const { rows } = await sessionPool().query<{ n: string }>(`SELECT count(*) AS n FROM pg_stat_activity WHERE query LIKE $1 AND pid <> pg_backend_pid()`, [`%"${t}"%`]);
  return Number(rows[0].n);
}
async function until(cond: () => Promise<boolean>, ms = 5000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error("condition not reached");
}
/** How a query in a scope ends: its error, or "done". */
const outcome = (p: Promise<unknown>) => p.then(() => "done", (e: unknown) => e);

const saved = process.env.READ_CACHE;
beforeAll(() => {
  process.env.READ_CACHE = "on";
  clearReadCache();
});
afterAll(() => {
  process.env.READ_CACHE = saved;
});

describe("a request whose client leaves has its queries cancelled", () => {
  it("cancels a running Prisma query and a raw pool query, and the pools serve the next request", async () => {
    const a = tag();
    const b = tag();
    const scope = new QueryScope(cancelBackend);
    const viaPrisma = runInQueryScope(scope, () => outcome(prisma.$queryRawUnsafe(sleepSql(a))));
    const viaPool = runInQueryScope(scope, () => outcome(pgPool().query(sleepSql(b))));
    await until(async () => (await running(a)) === 1 && (await running(b)) === 1);
    const t0 = Date.now();
    scope.abort();
    const [ea, eb] = await Promise.all([viaPrisma, viaPool]);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(String(ea)).toMatch(/cancel/i);
    expect(String(eb)).toMatch(/canceling statement due to user request/);
    await until(async () => (await running(a)) + (await running(b)) === 0);
    // later queries of the abandoned request fail at once; other requests' queries run
    await expect(runInQueryScope(scope, () => pgPool().query("SELECT 1"))).rejects.toBeInstanceOf(QueryAbandonedError);
    expect((await prisma.$queryRawUnsafe<{ one: number }[]>("SELECT 1 AS one"))[0].one).toBe(1);
    expect((await runInQueryScope(new QueryScope(cancelBackend), () => pgPool().query("SELECT 2 AS two"))).rows[0].two).toBe(2);
  });

  it("cancels a transaction's query and rolls the transaction back", async () => {
    const t = tag();
    const scope = new QueryScope(cancelBackend);
    const tx = runInQueryScope(scope, () =>
      outcome(
        prisma.$transaction(async (db) => {
          await db.$executeRawUnsafe(`CREATE TABLE "${t}" (x int)`);
          await db.$queryRawUnsafe(sleepSql(t));
        }),
      ),
    );
    await until(async () => (await running(t)) === 1);
    scope.abort();
    expect(String(await tx)).toMatch(/cancel/i);
    const { rows } = await sessionPool().query(`SELECT to_regclass($1) AS t`, [`"${t}"`]);
    expect(rows[0].t).toBeNull();
  });

  it("leaves queries outside a scope, and scopes that did not abort, alone", async () => {
    const t = tag();
    const other = new QueryScope(cancelBackend);
    const left = new QueryScope(cancelBackend);
    const kept = runInQueryScope(other, () => outcome(pgPool().query(`SELECT pg_sleep(0.5)::text AS "${t}"`)));
    const plain = outcome(prisma.$queryRawUnsafe(`SELECT pg_sleep(0.5)::text AS "${t}"`));
    await until(async () => (await running(t)) === 2);
    left.abort();
    expect(await kept).toBe("done");
    expect(await plain).toBe("done");
  });

  it("a cached read shared by two requests runs on while one of them is still waiting, and stops when both have left", async () => {
    const orgId = (await prisma.organization.create({ data: { name: "Cancel test", slug: tag() } })).id;
    const first = new QueryScope(cancelBackend);
    const second = new QueryScope(cancelBackend);
    const t = tag();
    const read = (s: QueryScope) => runInQueryScope(s, () => outcome(cachedRead({ orgId }, "cancel-test", t, () => pgPool().query(`SELECT pg_sleep(1)::text AS "${t}"`))));
    const p1 = read(first);
    const p2 = read(second);
    await until(async () => (await running(t)) === 1);
    first.abort();
    // the other request still waits for it: it completes, for both
    expect(await p2).toBe("done");
    expect(await p1).toBe("done");

    const u = tag();
    const third = new QueryScope(cancelBackend);
    const fourth = new QueryScope(cancelBackend);
    const read2 = (s: QueryScope) => runInQueryScope(s, () => outcome(cachedRead({ orgId }, "cancel-test", u, () => pgPool().query(sleepSql(u)))));
    const p3 = read2(third);
    const p4 = read2(fourth);
    await until(async () => (await running(u)) === 1);
    third.abort();
    fourth.abort();
    // cancelled: PostgreSQL's cancel, or the scope's refusal when the abort came between two steps of the work
    expect(String(await p3)).toMatch(/canceling statement due to user request|abandoned by its client/);
    expect(String(await p4)).toMatch(/canceling statement due to user request|abandoned by its client/);
    await until(async () => (await running(u)) === 0);
    // the cancelled computation is not kept: the next request computes it again
    const again = await runInQueryScope(new QueryScope(cancelBackend), () => cachedRead({ orgId }, "cancel-test", u, () => pgPool().query("SELECT 3 AS three")));
    expect(again.rows[0].three).toBe(3);
  });
});

describe("isStatementTimeout", () => {
  it("tells the statement cap from a cancel and from other errors, through Prisma and through pg", async () => {
    const viaPrisma = await outcome(prisma.$transaction(async (db) => {
      await db.$executeRawUnsafe("SET LOCAL statement_timeout = 50");
      await db.$queryRawUnsafe("SELECT pg_sleep(2)::text");
    }));
    const c = await pgPool().connect();
    const viaPg = await outcome(c.query("SET statement_timeout = 50").then(() => c.query("SELECT pg_sleep(2)")));
    await c.query("RESET statement_timeout");
    c.release();
    expect(isStatementTimeout(viaPrisma)).toBe(true);
    expect(isStatementTimeout(viaPg)).toBe(true);

    const scope = new QueryScope(cancelBackend);
    const t = tag();
    const cancelled = runInQueryScope(scope, () => outcome(prisma.$queryRawUnsafe(sleepSql(t))));
    await until(async () => (await running(t)) === 1);
    scope.abort();
    expect(isStatementTimeout(await cancelled)).toBe(false);
    expect(isStatementTimeout(await outcome(prisma.$queryRawUnsafe("SELECT 1/0")))).toBe(false);
  });
});

describe("an API read stopped by the statement cap", () => {
  it("answers 503 query_timeout saying what to ask instead, not 500", async () => {
    const o = await makeOrg("cap");
    signInAs(o.users.CFO.id, o.org.id);
    const capped = handle(api.usage, () =>
      prisma.$transaction(async (db) => {
        await db.$executeRawUnsafe("SET LOCAL statement_timeout = 50");
        return db.$queryRawUnsafe("SELECT pg_sleep(2)::text");
      }),
    );
    const r = await call(capped, "/api/v1/usage?bucket=day");
    expect(r.status).toBe(503);
    expect(r.json.error.code).toBe("query_timeout");
    expect(r.json.error.message).toMatch(/shorter date range/);
    // any other database error is still an internal error
    const broken = handle(api.usage, () => prisma.$queryRawUnsafe("SELECT 1/0"));
    expect((await call(broken, "/api/v1/usage?bucket=day")).status).toBe(500);
  });
});

describe("the pools", () => {
  it("survive the server closing their idle connections (a restart, a failover) and serve the next query", async () => {
    await prisma.$queryRawUnsafe("SELECT 1");
    await pgPool().query("SELECT 1");
    const { rows } = await sessionPool().query<{ n: string }>(
      `SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name = $1 AND state = 'idle'`,
      [applicationName()],
    );
    expect(Number(rows[0].n)).toBeGreaterThanOrEqual(2);
    // unhandled, the pools' "error" events would have ended this process
    await new Promise((r) => setTimeout(r, 300));
    expect((await prisma.$queryRawUnsafe<{ one: number }[]>("SELECT 1 AS one"))[0].one).toBe(1);
    expect((await pgPool().query("SELECT 2 AS two")).rows[0].two).toBe(2);
    expect((await sessionPool().query("SELECT 3 AS three")).rows[0].three).toBe(3);
  });
});
