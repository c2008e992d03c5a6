import type { RoutesConfig, x402ResourceServer } from "@x402kit/core/server";

/** The body every paid handler answers with; it must never appear unpaid. */
export const PAID_BODY = "paid-content-7f3a";

/** The handlers of a conformance app, by the name each passes to {@link ConformanceSetup.hit}. */
export type ConformanceRoute = "paid" | "wildcard" | "fails" | "stream" | "upfront" | "dynamic" | "free";

/**
 * What the suite hands an adapter's factory. The app the factory builds listens on
 * 127.0.0.1 (a free port), installs `paymentCors()` then the payment middleware with
 * `routes` and `server`, and serves (GET unless said; every handler calls `hit` first):
 *
 * - `/paid` → 200 `application/json` `{"content":"paid-content-7f3a"}`
 * - `/api/*` and `/api` (any method) → 200 `text/plain` `paid-content-7f3a`
 * - `/fails` → 500 `text/plain` `handler failed`
 * - `/stream` → 200 `text/event-stream`, a real stream: `data: one\n\n`, 50 ms,
 *   `data: two\n\n`, 50 ms, `data: paid-content-7f3a\n\n`, end
 * - `/upfront` → 200 `application/json` `{"content":"paid-content-7f3a"}` (priced `before-handler`)
 * - `/weather/:city` → 200 `application/json` `{"city": <param>}` (dynamic price and payTo)
 * - `/free` → 200 `text/plain` `free`
 */
export interface ConformanceSetup {
  /** The suite's route table: pass it as is to the adapter's paymentMiddleware / proxy. */
  routes: RoutesConfig;
  /** A resource server wired to a facilitator on anvil (already registered; the adapter may initialise it). */
  server: x402ResourceServer;
  /** Every handler calls this first, with its route name. */
  hit(route: ConformanceRoute): void;
}

/** A running conformance app. */
export interface ConformanceApp {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Builds and starts an adapter's conformance app (see {@link ConformanceSetup}). */
export type AdapterFactory = (setup: ConformanceSetup) => Promise<ConformanceApp>;

/** The SSE events `/stream` writes, 50 ms apart. */
export const STREAM_EVENTS = ["data: one\n\n", "data: two\n\n", `data: ${PAID_BODY}\n\n`] as const;
