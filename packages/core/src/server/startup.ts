import { FacilitatorCapabilityError } from "../http/facilitatorErrors.js";
import { RouteConfigurationError } from "./routeConfigurationError.js";

/**
 * True when an `initialize()` failure will not fix itself (routes or scheme capabilities that
 * do not fit the facilitators); false for a facilitator that was merely unreachable.
 *
 * @example
 * ```ts
 * http.initialize().catch((e) => { if (isFatalStartupInitError(e)) process.exit(1); });
 * ```
 */
export function isFatalStartupInitError(error: unknown): boolean {
  return error instanceof RouteConfigurationError || error instanceof FacilitatorCapabilityError;
}

/**
 * The official adapters' handler for an eager `initialize()`: retryable failures are logged
 * and left for the next paid request; a fatal one (see {@link isFatalStartupInitError}) ends
 * the process, as the official SDK does. x402kit's own adapters use
 * `x402HTTPResourceServer.initializeInBackground()` instead, which keeps serving unpriced
 * routes and answers `503` on priced ones.
 *
 * @example
 * ```ts
 * attachBackgroundInitHandler(syncFacilitatorOnStart ? http.initialize() : null);
 * ```
 */
export function attachBackgroundInitHandler(initPromise: Promise<void> | null): void {
  initPromise?.catch((error: unknown) => {
    console.error("[x402kit] payment server initialisation failed:", error);
    const proc = (globalThis as { process?: { exit(code: number): void } }).process;
    if (isFatalStartupInitError(error) && proc) proc.exit(1);
  });
}
