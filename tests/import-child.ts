/**
 * Child process for the kill test (usage-import-kill.test.ts): imports an endless usage stream for one org and
 * is killed with SIGKILL part-way. Every row is sent twice, so the spool is in use as well as the COPY.
 */
import { Readable } from "node:stream";
import { importUsage } from "@/lib/services/usage-import";

const [orgId, uploadId] = process.argv.slice(2);
async function* rows() {
  yield Buffer.from("date,team,provider,model,input_tokens,output_tokens\n");
  const start = Date.UTC(2020, 0, 1);
  // hours up to 2026 stay in the accepted date range
  for (let h = 0; h < 55_000; h += 200) {
    let chunk = "";
    for (let k = h; k < h + 200; k++) {
      const at = new Date(start + k * 3_600_000).toISOString();
      const line = `${at},Support,OpenAI,gpt-4.1,${k},1\n${at},Search,OpenAI,gpt-4.1-mini,${k},1\n`;
      chunk += line + line;
    }
    yield Buffer.from(chunk);
    // as bytes from a socket would: let the event loop run between chunks
    await new Promise((r) => setTimeout(r, 1));
  }
  // then stall, as a stuck upload would: the import never finishes on its own
  await new Promise(() => undefined);
}
await importUsage(
  { orgId, orgName: "kill test", isDemo: false, actorId: null, actorName: "kill test", role: "ADMIN", teamId: null },
  { fileName: "endless.csv", body: Readable.from(rows()), mode: "commit", onErrors: "reject", uploadId },
);
