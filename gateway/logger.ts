import pino, { type Logger } from 'pino';

/** Structured JSON logs. Level: PI_LOG_LEVEL, default info; silent under jest unless PI_LOG_LEVEL is set. */
export function createLogger(): Logger {
  const level = process.env.PI_LOG_LEVEL || (process.env.NODE_ENV === 'test' ? 'silent' : 'info');
  return pino({ name: 'partner-insights', level });
}

/** The logger shape Apollo Server and Apollo Gateway take. */
export function apolloLogger(log: Logger) {
  return {
    debug: (message: unknown) => log.debug(String(message)),
    info: (message: unknown) => log.info(String(message)),
    warn: (message: unknown) => log.warn(String(message)),
    error: (message: unknown) => log.error(String(message)),
  };
}

export type { Logger };
