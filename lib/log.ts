import pino from "pino";

export const log = pino({
  level: process.env.LOG_LEVEL ?? "info",
  base: { service: process.env.TOKENHEDGE_PROCESS ?? "web" },
  timestamp: pino.stdTimeFunctions.isoTime,
});
