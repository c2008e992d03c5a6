/**
 * Where the service reports what happens. Messages never contain request bodies or
 * secrets; `error` receives the thrown value for the operator's eyes only.
 */
export interface FacilitatorLogger {
  info(message: string): void;
  error(message: string, error?: unknown): void;
}

/** Default: quiet about requests, loud about failures. */
export const defaultLogger: FacilitatorLogger = {
  info: () => {},
  error: (message, error) => console.error(message, error ?? ""),
};

/** Everything on the console, for the CLI. */
export const consoleLogger: FacilitatorLogger = {
  info: (message) => console.log(message),
  error: (message, error) => console.error(message, error ?? ""),
};
