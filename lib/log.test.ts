import { Writable } from "node:stream";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { logOptions } from "./log";

/** A driver error as pg and pg-boss raise it on shutdown: it carries the client, with its secrets. */
function driverError() {
  const e = new Error("terminating connection due to administrator command") as Error & Record<string, unknown>;
  e.code = "57P01";
  e.client = { connectionParameters: { user: "app", password: "hunter2-password", host: "db" }, processID: 4242, secretKey: 987654321, _pool: { idle: [] } };
  return e;
}

describe("log lines never carry driver objects", () => {
  it("an error logged under err or error keeps type, message and code only", () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } });
    const logger = pino({ ...logOptions, level: "info" }, sink);
    logger.error({ err: driverError() }, "worker stopped");
    logger.warn({ error: driverError() }, "retrying");
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line).not.toMatch(/hunter2|987654321|connectionParameters|secretKey|processID/);
      const o = JSON.parse(line);
      const e = o.err ?? o.error;
      expect(e).toMatchObject({ type: "Error", message: "terminating connection due to administrator command", code: "57P01" });
    }
  });
});
