import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PayOrdersApi, runClientExample } from "./clientExample.js";
import { type LocalStack, PRICE_ATOMIC, type StartApi, startLocalStack } from "./localStack.js";
import { payOnce } from "./payOnce.js";

/** Checks one paid route's body (read as text). */
export type BodyCheck = (body: string) => void;

/**
 * The `GET /weather` every server example serves.
 *
 * @example
 * ```ts
 * describePaidApi("examples/hono", { startApi, paidRoutes: { "/weather": isWeather } });
 * ```
 */
export const isWeather: BodyCheck = (body) =>
  expect(JSON.parse(body)).toEqual({ city: "Lisbon", forecast: "sunny", celsius: 21 });

/**
 * The `GET /ticker` every server example streams: three server-sent `tick` events.
 *
 * @example
 * ```ts
 * describePaidApi("examples/hono", { startApi, paidRoutes: { "/ticker": isThreeTicks } });
 * ```
 */
export const isThreeTicks: BodyCheck = (body) => expect(body.match(/event: tick/g)).toHaveLength(3);

/** A server example under test: how its API starts, and what each paid `GET` route answers. */
export interface PaidApiSuite {
  startApi: StartApi;
  paidRoutes: Record<string, BodyCheck>;
  /** For a slow start (`next build`); default the config's hook timeout. */
  startTimeoutMs?: number;
}

/**
 * The test every server example runs on the real stack (anvil, our facilitator, its API): an
 * unpaid request gets a `402` with `PAYMENT-REQUIRED`; our fetch client pays each route once,
 * each is settled and `payTo` earns exactly one price per route; a CORS preflight is answered
 * without being priced.
 *
 * @example
 * ```ts
 * describePaidApi("examples/hono", { startApi, paidRoutes: { "/weather": isWeather } });
 * ```
 */
export function describePaidApi(name: string, suite: PaidApiSuite): void {
  const paths = Object.keys(suite.paidRoutes);
  const first = paths[0] ?? "/";
  describe(name, () => {
    let stack: LocalStack;
    beforeAll(async () => {
      stack = await startLocalStack({ startApi: suite.startApi });
    }, suite.startTimeoutMs);
    afterAll(() => stack?.stop());

    it(`asks for payment, then our fetch client pays ${paths.join(", ")}: settled, payTo earns one price each`, async () => {
      const unpaid = await fetch(stack.apiUrl + first);
      expect(unpaid.status).toBe(402);
      expect(unpaid.headers.get("payment-required")).toBeTruthy();
      const before = await stack.balances();
      const calls = await payOnce(stack, paths);
      expect(calls.map((call) => [call.request, call.status])).toEqual(
        paths.map((path) => [`GET ${path}`, 200]),
      );
      for (const [i, call] of calls.entries()) {
        suite.paidRoutes[paths[i] ?? ""]?.(call.body);
        expect(call.receipt?.success).toBe(true);
      }
      expect((await stack.balances()).payTo - before.payTo).toBe(BigInt(paths.length) * PRICE_ATOMIC);
    });

    it("answers CORS preflights without pricing them", async () => {
      const response = await fetch(stack.apiUrl + first, {
        method: "OPTIONS",
        headers: { origin: "https://app.example", "access-control-request-method": "GET" },
      });
      expect(response.status).toBe(204);
      expect(response.headers.get("payment-required")).toBeNull();
    });
  });
}

/**
 * The test every client example runs: `pay` pays the orders API on anvil, both calls are settled
 * on chain (a transaction hash each) and the balances move by exactly two prices.
 *
 * @example
 * ```ts
 * describeClientExample("examples/fetch-client", payWithFetch);
 * ```
 */
export function describeClientExample(name: string, pay: PayOrdersApi): void {
  describe(name, () => {
    it("pays a GET and a POST on anvil: each settled, balances move by exactly two prices", async () => {
      const run = await runClientExample(pay, () => {});
      expect(run.calls.map((c) => [c.request, c.status])).toEqual([
        ["GET /weather", 200],
        ["POST /orders", 201],
      ]);
      expect(run.calls[1]?.body).toEqual({ accepted: { item: "umbrella", quantity: 1 } });
      for (const call of run.calls) {
        expect(call.receipt?.success).toBe(true);
        expect(call.receipt?.transaction).toMatch(/^0x[0-9a-f]{64}$/);
      }
      expect(run.payerDelta).toBe(2n * PRICE_ATOMIC);
      expect(run.payToDelta).toBe(2n * PRICE_ATOMIC);
    });
  });
}
