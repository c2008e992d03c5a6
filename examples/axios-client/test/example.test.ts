import { describe, expect, it } from "vitest";
import { runExample } from "../src/example.js";
import { PRICE_ATOMIC } from "../src/localStack.js";

describe("examples/axios-client", () => {
  it("pays a GET and a POST on anvil: each settled, balances move by exactly two prices", async () => {
    const result = await runExample(() => {});
    expect(result.calls.map((c) => c.status)).toEqual([200, 201]);
    expect(result.calls[1]?.body).toEqual({ accepted: { item: "umbrella", quantity: 1 } });
    for (const call of result.calls) {
      expect(call.receipt?.success).toBe(true);
      expect(call.receipt?.transaction).toMatch(/^0x[0-9a-f]{64}$/);
    }
    expect(result.payerDelta).toBe(2n * PRICE_ATOMIC);
    expect(result.payToDelta).toBe(2n * PRICE_ATOMIC);
  });
});
