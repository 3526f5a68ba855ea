import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import PgBoss from "pg-boss";
import pg from "pg";
import { prisma } from "@/lib/db/client";
import { HANDLERS } from "@/lib/jobs/handlers";
import { importQuotes, parseQuotesCsv } from "@/lib/services/quotes";
import { rebuildCurves } from "@/lib/services/curves";
import { JobSession, QUEUE_JOB_LOCK, lockClient } from "@/lib/jobs/lock";
import { logJobRun, sweepAbandoned } from "@/lib/jobs/run";
import { ensureQueues, JOB_EXPIRY_SECONDS, JOBS, startBoss } from "@/lib/jobs/queue";
import { createDb, dbUrl, dropDb, uniqueDbName } from "./pg";
import { makeOrg } from "./fixtures";

/** Resolves when pg_locks shows a session of this database waiting for an advisory lock, or when done() says stop. */
async function someoneWaitsForAdvisoryLock(done: () => boolean) {
  while (!done()) {
    const r = await prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND NOT l.granted AND a.datname = current_database()`;
    if (Number(r[0].n) > 0) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

const extraDbs: string[] = [];
afterAll(async () => {
  for (const d of extraDbs) await dropDb(d);
});

describe("run lock: the same job for the same org never overlaps", () => {
  it("a second run waits for the first (two sessions, as two workers), then runs; both are logged", async () => {
    const o = await makeOrg("lock");
    const events: string[] = [];
    const first = gate();
    const s1 = await JobSession.open("11111111-1111-4111-8111-111111111111", 60);
    const s2 = await JobSession.open("22222222-2222-4222-8222-222222222222", 60);
    const a = logJobRun("test.job", o.org.id, async () => {
      events.push("a start");
      await first.opened;
      events.push("a end");
      return {};
    }, s1);
    while (!events.length) await new Promise((r) => setTimeout(r, 10));
    const b = logJobRun("test.job", o.org.id, async () => {
      events.push("b start");
      return {};
    }, s2);
    await someoneWaitsForAdvisoryLock(() => events.length > 1);
    expect(events).toEqual(["a start"]);
    // another org's run of the same job does not wait
    const other = await makeOrg("lock-other");
    await logJobRun("test.job", other.org.id, async () => ({}));
    first.open();
    await Promise.all([a, b]);
    expect(events).toEqual(["a start", "a end", "b start"]);
    const runs = await prisma.jobRun.findMany({ where: { organizationId: o.org.id, name: "test.job" }, orderBy: { startedAt: "asc" } });
    expect(runs.map((r) => [r.status, r.queueJobId])).toEqual([
      ["SUCCEEDED", "11111111-1111-4111-8111-111111111111"],
      ["SUCCEEDED", "22222222-2222-4222-8222-222222222222"],
    ]);
    expect(runs[0].worker).toMatch(/^\w+ \S+ \d+$/);
    await s1.close();
    await s2.close();
  });

  it("a run that fails releases the lock and is logged FAILED", async () => {
    const o = await makeOrg("lock-fail");
    await expect(logJobRun("test.fail", o.org.id, async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await logJobRun("test.fail", o.org.id, async () => ({ ok: true }));
    const runs = await prisma.jobRun.findMany({ where: { organizationId: o.org.id }, orderBy: { startedAt: "asc" } });
    expect(runs.map((r) => [r.status, r.error])).toEqual([["FAILED", "boom"], ["SUCCEEDED", null]]);
  });
});

describe("abandoned runs", () => {
  it("a RUNNING row whose worker's session died is marked FAILED by the sweep; a live one is left alone", async () => {
    const o = await makeOrg("abandon");
    // a worker that took the run lock and logged its run, then died (its connection is terminated)
    const dying = await lockClient();
    await dying.query("SELECT pg_advisory_lock(hashtext($1), hashtext($2))", ["test.dead", o.org.id]);
    const dead = await prisma.jobRun.create({ data: { name: "test.dead", organizationId: o.org.id, status: "RUNNING", startedAt: new Date(Date.now() - 60_000) } });
    // a live one holding its lock
    const living = await lockClient();
    await living.query("SELECT pg_advisory_lock(hashtext($1), hashtext($2))", ["test.alive", o.org.id]);
    const live = await prisma.jobRun.create({ data: { name: "test.alive", organizationId: o.org.id, status: "RUNNING", startedAt: new Date(Date.now() - 60_000) } });

    expect((await sweepAbandoned(null, [], 0)).runs).toBe(0);
    expect((await prisma.jobRun.findUniqueOrThrow({ where: { id: dead.id } })).status).toBe("RUNNING");

    const { rows } = await dying.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
    const admin = await lockClient();
    await admin.query("SELECT pg_terminate_backend($1)", [rows[0].pid]);
    await admin.end();
    await dying.end().catch(() => undefined);

    expect((await sweepAbandoned(null, [], 0)).runs).toBe(1);
    const d = await prisma.jobRun.findUniqueOrThrow({ where: { id: dead.id } });
    expect(d.status).toBe("FAILED");
    expect(d.error).toMatch(/abandoned/);
    expect((await prisma.jobRun.findUniqueOrThrow({ where: { id: live.id } })).status).toBe("RUNNING");
    await living.end();
  });

  it("the next run of the same job and org marks a RUNNING row left behind as FAILED before it starts", async () => {
    const o = await makeOrg("abandon-next");
    const left = await prisma.jobRun.create({ data: { name: "test.next", organizationId: o.org.id, status: "RUNNING" } });
    await logJobRun("test.next", o.org.id, async () => ({}));
    expect((await prisma.jobRun.findUniqueOrThrow({ where: { id: left.id } })).status).toBe("FAILED");
    expect(await prisma.jobRun.count({ where: { organizationId: o.org.id, status: "RUNNING" } })).toBe(0);
  });

  it("a pg-boss job left 'active' by a dead worker is failed at once and retried; one held by a live session is not", async () => {
    const boss = await startBoss({ connectionString: process.env.DATABASE_URL!, supervise: false, schedule: false, max: 2 });
    try {
      const queue = JOBS.computeMarks;
      // other tests (a booking's follow-ups) may have queued real jobs here: start from an empty queue
      await prisma.$executeRawUnsafe(`DELETE FROM pgboss.job WHERE name = $1`, queue);
      const deadId = (await boss.send(queue, { orgId: "dead" }, { retryLimit: 2, retryDelay: 0 }))!;
      const liveId = (await boss.send(queue, { orgId: "live" }, { retryLimit: 2 }))!;
      const fetched = await boss.fetch(queue, { batchSize: 2 });
      expect(fetched.map((j) => j.id).sort()).toEqual([deadId, liveId].sort());
      const live = await JobSession.open(liveId, 60);
      const r = await sweepAbandoned(boss, [queue], 0);
      expect(r.queueJobs).toBe(1);
      const d = await boss.getJobById(queue, deadId);
      expect(d?.state).toBe("retry");
      expect(JSON.stringify(d?.output)).toMatch(/abandoned/);
      expect((await boss.getJobById(queue, liveId))?.state).toBe("active");
      // a second sweep finds nothing more to fail; the retry is fetched as attempt 1 of 2
      expect((await sweepAbandoned(boss, [queue], 0)).queueJobs).toBe(0);
      const [again] = await boss.fetch(queue, { includeMetadata: true });
      expect(again).toMatchObject({ id: deadId, retryCount: 1 });
      await live.close();
      await boss.deleteJob(queue, [deadId, liveId]);
    } finally {
      await boss.stop({ graceful: false, wait: true });
    }
  });

  it("a session's queue-job lock is what the sweep sees", async () => {
    const s = await JobSession.open("33333333-3333-4333-8333-333333333333", 60);
    const c = await lockClient();
    const { rows } = await c.query<{ got: boolean }>("SELECT pg_try_advisory_lock(hashtext($1), hashtext($2)) AS got", [QUEUE_JOB_LOCK, "33333333-3333-4333-8333-333333333333"]);
    expect(rows[0].got).toBe(false);
    await s.close();
    const again = await c.query<{ got: boolean }>("SELECT pg_try_advisory_lock(hashtext($1), hashtext($2)) AS got", [QUEUE_JOB_LOCK, "33333333-3333-4333-8333-333333333333"]);
    expect(again.rows[0].got).toBe(true);
    await c.end();
  });
});

describe("start-up on a fresh database", () => {
  it("four processes' pg-boss start at once: all start, each queue exists once with its expiry", async () => {
    const name = uniqueDbName("th_boss");
    await createDb(name);
    extraDbs.push(name);
    const url = dbUrl(name);
    const prev = process.env.JOB_LOCK_DATABASE_URL;
    process.env.JOB_LOCK_DATABASE_URL = url;
    try {
      const bosses = await Promise.all([1, 2, 3, 4].map(() => startBoss({ connectionString: url, supervise: false, schedule: false, max: 2 })));
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      const { rows } = await c.query<{ name: string; expire_seconds: number; retry_delay: number }>("SELECT name, expire_seconds, retry_delay FROM pgboss.queue ORDER BY name");
      await c.end();
      expect(rows.map((r) => r.name)).toEqual(Object.values(JOBS).sort());
      for (const r of rows) expect(r.expire_seconds).toBe(JOB_EXPIRY_SECONDS[r.name as keyof typeof JOB_EXPIRY_SECONDS]);
      // an expiry changed in code is brought up to date on the next start
      const b = bosses[0];
      await b.updateQueue(JOBS.runForecasts, { name: JOBS.runForecasts, expireInSeconds: 5 });
      await ensureQueues(b);
      expect((await b.getQueue(JOBS.runForecasts))?.expireInSeconds).toBe(JOB_EXPIRY_SECONDS[JOBS.runForecasts]);
      // and an operator's JOB_EXPIRY_<QUEUE> wins
      process.env.JOB_EXPIRY_FORECASTS_RUN = "1234";
      await ensureQueues(b);
      delete process.env.JOB_EXPIRY_FORECASTS_RUN;
      expect((await b.getQueue(JOBS.runForecasts))?.expireInSeconds).toBe(1234);
      await Promise.all(bosses.map((x: PgBoss) => x.stop({ graceful: false, wait: true })));
    } finally {
      if (prev === undefined) delete process.env.JOB_LOCK_DATABASE_URL;
      else process.env.JOB_LOCK_DATABASE_URL = prev;
    }
  });
});

describe("real per-org jobs run twice at once", () => {
  it("curves.rebuild on two workers at once: the runs do not overlap, both succeed, one curve per class and day", async () => {
    const o = await makeOrg("curves-twice");
    const r = await importQuotes(o.ctx("PROCUREMENT"), parseQuotesCsv(readFileSync("tests/fixtures/quotes/good.csv", "utf8")), { fileName: "good.csv" });
    expect(r.status).toBe("COMPLETED");
    const sessions = await Promise.all([JobSession.open(null, 60), JobSession.open(null, 60)]);
    await Promise.all(sessions.map((s) => HANDLERS[JOBS.rebuildCurves]!({ orgId: o.org.id }, s)));
    await Promise.all(sessions.map((s) => s.close()));
    const runs = await prisma.jobRun.findMany({ where: { organizationId: o.org.id, name: JOBS.rebuildCurves }, orderBy: { startedAt: "asc" } });
    expect(runs.map((x) => x.status)).toEqual(["SUCCEEDED", "SUCCEEDED"]);
    expect(runs[1].startedAt.getTime()).toBeGreaterThanOrEqual(runs[0].finishedAt!.getTime());
    const curves = await prisma.forwardCurve.groupBy({ by: ["modelClassId", "asOf"], where: { organizationId: o.org.id }, _count: true });
    expect(curves.length).toBeGreaterThan(0);
    for (const c of curves) expect(c._count).toBe(1);
    // and the service on its own (no run lock, as the demo seed calls it), twice at once: one transaction per run
    // under its per-org lock, so neither trips over the other's rows on the (org, class, day) key
    const today = new Date();
    const both = await Promise.all([rebuildCurves(o.org.id, today), rebuildCurves(o.org.id, today)]);
    expect(both[0]).toEqual(both[1]);
    const again = await prisma.forwardCurve.groupBy({ by: ["modelClassId", "asOf"], where: { organizationId: o.org.id }, _count: true });
    expect(again).toEqual(curves);
  });
});

describe("nightly runs", () => {
  it("a per-org job without an org queues one job per organization instead of running them all in one", async () => {
    const o = await makeOrg("nightly");
    const orgs = await prisma.organization.count();
    await HANDLERS[JOBS.computeMarks]!({});
    const run = await prisma.jobRun.findFirstOrThrow({ where: { name: JOBS.computeMarks, organizationId: null }, orderBy: { startedAt: "desc" } });
    expect(run).toMatchObject({ status: "SUCCEEDED", details: { queuedOrgs: orgs } });
    const queued = await prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM pgboss.job WHERE name = ${JOBS.computeMarks} AND data->>'orgId' = ${o.org.id} AND state = 'created'`;
    expect(Number(queued[0].n)).toBe(1);
    // nothing ran inline for the org
    expect(await prisma.jobRun.count({ where: { organizationId: o.org.id } })).toBe(0);
  });
});
