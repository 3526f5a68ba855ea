import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { applicationName, pgPool } from "@/lib/db/pg";
import { cleanSpools, heartbeatImportProgress, importProgress, PROGRESS_STALE_MS, removeDeadOwnersProgress } from "@/lib/services/imports";
import { processRole } from "@/lib/log";
import { makeOrg } from "./fixtures";

const DEAD_PID = 999_999_999; // above any pid_max: never a running process

const scratch = mkdtempSync(path.join(tmpdir(), "th-housekeeping-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("import progress rows of dead imports expire", () => {
  it("a row silent (no progress, no heartbeat) for longer than the limit reads as gone and is deleted; a live one is served", async () => {
    const o = await makeOrg("progress");
    const old = new Date(Date.now() - PROGRESS_STALE_MS - 5_000);
    await prisma.importProgress.create({ data: { uploadId: "stale-upload", organizationId: o.org.id, rowsProcessed: 10, updatedAt: old, heartbeatAt: old } });
    await prisma.importProgress.create({ data: { uploadId: "beating-upload", organizationId: o.org.id, rowsProcessed: 20, updatedAt: old } });
    await expect(importProgress(o.ctx("ADMIN"), "stale-upload")).rejects.toMatchObject({ status: 404 });
    expect(await prisma.importProgress.findUnique({ where: { uploadId: "stale-upload" } })).toBeNull();
    // no progress for a while, but its process heartbeats it: still in progress
    expect(await importProgress(o.ctx("ADMIN"), "beating-upload")).toMatchObject({ rowsProcessed: 20 });
  });

  it("a process heartbeats the rows its own connections wrote, and only those", async () => {
    const o = await makeOrg("heartbeat");
    const old = new Date(Date.now() - 3_600_000);
    // written through pgPool, as the import's progress reporter does: the owner is this process's application_name
    await pgPool().query(`INSERT INTO "ImportProgress" ("uploadId","organizationId","heartbeatAt") VALUES ('mine', $1, $2)`, [o.org.id, old]);
    await prisma.importProgress.create({ data: { uploadId: "theirs", organizationId: o.org.id, owner: "th-web:elsewhere:1", heartbeatAt: old } });
    const mine = await prisma.importProgress.findUniqueOrThrow({ where: { uploadId: "mine" } });
    expect(mine.owner).toBe(applicationName());
    expect(await heartbeatImportProgress()).toBeGreaterThanOrEqual(1);
    expect((await prisma.importProgress.findUniqueOrThrow({ where: { uploadId: "mine" } })).heartbeatAt.getTime()).toBeGreaterThan(old.getTime());
    expect((await prisma.importProgress.findUniqueOrThrow({ where: { uploadId: "theirs" } })).heartbeatAt).toEqual(old);
  });

  it("on start-up, rows of this instance's earlier (dead) processes go at once; live processes' and other instances' stay", async () => {
    const o = await makeOrg("previous-life");
    const me = applicationName();
    const prefix = me.slice(0, me.lastIndexOf(":") + 1);
    await prisma.importProgress.createMany({
      data: [
        { uploadId: "dead-life", organizationId: o.org.id, owner: `${prefix}${DEAD_PID}` },
        { uploadId: "live-sibling", organizationId: o.org.id, owner: `${prefix}${process.ppid}` },
        { uploadId: "other-instance", organizationId: o.org.id, owner: `th-web:some-other-host:${DEAD_PID}` },
      ],
    });
    expect(await removeDeadOwnersProgress()).toBe(1);
    const left = await prisma.importProgress.findMany({ where: { organizationId: o.org.id }, orderBy: { uploadId: "asc" } });
    expect(left.map((r) => r.uploadId)).toEqual(["live-sibling", "other-instance"]);
  });
});

describe("a web instance's spool clean-up", () => {
  const base = path.join(scratch, "tmp");
  const own = path.join(base, `tokenhedge-web-me-${process.pid}`);
  const dead = path.join(base, `tokenhedge-web-gone-${DEAD_PID}`);
  const live = path.join(base, `tokenhedge-web-sibling-${process.ppid}`);
  const unrelated = path.join(base, "something-else");
  const setUp = () => {
    rmSync(base, { recursive: true, force: true });
    for (const d of [dead, live, unrelated]) mkdirSync(path.join(d, "th-usage-spool-x"), { recursive: true });
    mkdirSync(path.join(own, "th-usage-spool-fresh"), { recursive: true });
    mkdirSync(path.join(own, "th-usage-spool-old"), { recursive: true });
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
    utimesSync(path.join(own, "th-usage-spool-old"), twoHoursAgo, twoHoursAgo);
  };

  it("periodically: removes dead processes' spools and its own spool folders over an hour old", () => {
    setUp();
    expect(cleanSpools(base, own, false)).toBe(2);
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(path.join(own, "th-usage-spool-old"))).toBe(false);
    expect(existsSync(path.join(own, "th-usage-spool-fresh"))).toBe(true);
    expect(existsSync(live)).toBe(true);
    expect(existsSync(unrelated)).toBe(true);
  });

  it("on start-up: its own root (left by an earlier process with the same pid) goes whole", () => {
    setUp();
    cleanSpools(base, own, true);
    expect(existsSync(own)).toBe(false);
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(live)).toBe(true);
  });
});

describe("log lines name service, instance and pid", () => {
  it("the entry point decides the service, over an inherited TOKENHEDGE_PROCESS", () => {
    expect(processRole(["node", "/app/lib/jobs/worker-main.ts"], "web")).toBe("worker");
    expect(processRole(["node", "/app/scripts/web-server.ts", "-p", "3000"], "worker")).toBe("web");
    expect(processRole(["node", "/app/scripts/seed.ts"], "worker")).toBe("worker");
    expect(processRole(["node", "/app/scripts/seed.ts"], undefined)).toBe("web");
  });

  it("every line carries them, and JobRun.worker is the same three", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "--eval", "const { log, processLabel } = await import('./lib/log.ts'); log.info({ processLabel }, 'hello')"], {
      env: { ...process.env, LOG_LEVEL: "info", TOKENHEDGE_PROCESS: "worker", INSTANCE_ID: "box-7" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    await once(child, "exit");
    const line = JSON.parse(out.trim().split("\n").pop()!) as { service: string; instance: string; pid: number; processLabel: string; msg: string };
    expect(line).toMatchObject({ service: "worker", instance: "box-7", pid: child.pid, msg: "hello" });
    expect(line.processLabel).toBe(`worker box-7 ${child.pid}`);
  });
});
