import pino from "pino";

/** The one logger: JSON lines on stdout, `service` on every line, request id added per request. */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? "info") {
  return pino({ level, base: { service }, timestamp: pino.stdTimeFunctions.isoTime });
}
export type Logger = ReturnType<typeof createLogger>;
