/**
 * Where the service reports what happens. Messages never contain request bodies or
 * secrets; `error` receives the thrown value for the operator's eyes only.
 */
export interface FacilitatorLogger {
  info(message: string): void;
  /** Something needs a look but nothing failed (e.g. settlements pending for long). Default: `error`. */
  warn?(message: string): void;
  error(message: string, error?: unknown): void;
}

/** Default: quiet about requests, loud about warnings and failures. */
export const defaultLogger: FacilitatorLogger = {
  info: () => {},
  warn: (message) => console.warn(message),
  error: (message, error) => console.error(message, error ?? ""),
};

/** Everything on the console, for the CLI. */
export const consoleLogger: FacilitatorLogger = {
  info: (message) => console.log(message),
  warn: (message) => console.warn(message),
  error: (message, error) => console.error(message, error ?? ""),
};
