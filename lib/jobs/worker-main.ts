import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { startWorker } from "./worker";

// the worker entry point is a worker, whatever the shell exported (lib/db/client.ts reads this lazily)
process.env.TOKENHEDGE_PROCESS = "worker";
const boss = await startWorker(env().DATABASE_URL);
const stop = async () => {
  log.info("worker stopping");
  boss.stopSweeping();
  await boss.stop({ graceful: true, wait: true });
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
