import pino, { type Logger } from "pino";

export type { Logger };

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Structured logs: JSON lines for journald and log shippers, pretty lines when
 * a person is watching a terminal.
 */
export function createLogger(level: LogLevel = "info", pretty = Boolean(process.stdout.isTTY)): Logger {
  return pino({
    level,
    base: { service: "atbb" },
    ...(pretty
      ? { transport: { target: "pino-pretty", options: { colorize: true, translateTime: "SYS:HH:MM:ss.l" } } }
      : {}),
  });
}

/** For tests and library callers that want no output. */
export const silentLogger: Logger = pino({ level: "silent" });
