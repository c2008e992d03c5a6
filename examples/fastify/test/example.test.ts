import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalStack, PRICE_ATOMIC, startLocalStack } from "../src/localStack.js";
import { payOnce } from "../src/payOnce.js";

describe("examples/fastify", () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startLocalStack();
  });
  afterAll(() => stack?.stop());

  it("asks for payment, then our fetch client pays both routes: settled, payTo earns two prices", async () => {
    const unpaid = await fetch(`${stack.apiUrl}/weather`);
    expect(unpaid.status).toBe(402);
    expect(unpaid.headers.get("payment-required")).toBeTruthy();
    const { devnet } = stack;
    const before = await devnet.balanceOf(devnet.accounts.payTo.address);
    const [weather, ticker] = await payOnce(stack);
    expect([weather?.status, ticker?.status]).toEqual([200, 200]);
    expect(JSON.parse(weather?.body ?? "")).toEqual({ city: "Lisbon", forecast: "sunny", celsius: 21 });
    expect(ticker?.body.match(/event: tick/g)).toHaveLength(3);
    for (const call of [weather, ticker]) expect(call?.receipt?.success).toBe(true);
    expect((await devnet.balanceOf(devnet.accounts.payTo.address)) - before).toBe(2n * PRICE_ATOMIC);
  });

  it("answers CORS preflights without pricing them", async () => {
    const response = await fetch(`${stack.apiUrl}/weather`, {
      method: "OPTIONS",
      headers: { origin: "https://app.example", "access-control-request-method": "GET" },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("payment-required")).toBeNull();
  });
});
