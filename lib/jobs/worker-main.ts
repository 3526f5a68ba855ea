import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { startWorker } from "./worker";

process.env.TOKENHEDGE_PROCESS ??= "worker";
const boss = await startWorker(env().DATABASE_URL);
const stop = async () => {
  log.info("worker stopping");
  await boss.stop({ graceful: true, wait: true });
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
