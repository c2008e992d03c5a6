import { X402Error } from "../errors.js";

/** One problem of one route's payment option, as the official SDK reports it. */
export interface RouteValidationError {
  /** The route key, e.g. `"GET /weather"`. */
  routePattern: string;
  scheme: string;
  network: string;
  reason: "missing_scheme" | "missing_facilitator" | "invalid_price";
  message: string;
}

/**
 * The route table cannot be served: every problem is listed in `errors` (and in the message).
 * An {@link X402Error} with code `invalid_route_config`, under the official name.
 *
 * @example
 * ```ts
 * try { await http.initialize(); }
 * catch (e) { if (e instanceof RouteConfigurationError) console.table(e.errors); }
 * ```
 */
export class RouteConfigurationError extends X402Error {
  readonly errors: RouteValidationError[];

  constructor(errors: RouteValidationError[]) {
    const lines = errors.map((e) => `${e.routePattern}: ${e.message}`);
    super("invalid_route_config", lines.join("\n"), { details: { problems: lines } });
    this.errors = errors;
  }
}
