import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalStack, PRICE_ATOMIC, startLocalStack } from "../src/localStack.js";
import { payOnce } from "../src/payOnce.js";

// `next build` bundles @x402kit/next from its dist: `pnpm test` builds the packages first.
describe("examples/next", () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startLocalStack(0);
  }, 180_000);
  afterAll(() => stack?.stop());

  it("asks for payment, then our fetch client pays all three routes: settled, payTo earns three prices", async () => {
    const unpaid = await fetch(`${stack.apiUrl}/api/weather`);
    expect(unpaid.status).toBe(402);
    expect(unpaid.headers.get("payment-required")).toBeTruthy();
    const { devnet } = stack;
    const before = await devnet.balanceOf(devnet.accounts.payTo.address);
    const [weather, ticker, report] = await payOnce(stack);
    expect([weather?.status, ticker?.status, report?.status]).toEqual([200, 200, 200]);
    expect(JSON.parse(weather?.body ?? "")).toEqual({ city: "Lisbon", forecast: "sunny", celsius: 21 });
    expect(ticker?.body.match(/event: tick/g)).toHaveLength(3);
    expect(JSON.parse(report?.body ?? "")).toEqual({ report: "Q3 revenue up 12%" });
    for (const call of [weather, ticker, report]) expect(call?.receipt?.success).toBe(true);
    expect((await devnet.balanceOf(devnet.accounts.payTo.address)) - before).toBe(3n * PRICE_ATOMIC);
  });

  it("answers CORS preflights in the proxy without pricing them", async () => {
    const response = await fetch(`${stack.apiUrl}/api/weather`, {
      method: "OPTIONS",
      headers: { origin: "https://app.example", "access-control-request-method": "GET" },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("payment-required")).toBeNull();
  });
});
