import { describe, expect, it } from "vitest";
import { PRICE_ATOMIC, runDemo } from "../src/demo.js";
import { silentLog } from "../src/steps.js";

describe("the main job", () => {
  it("settles one paid request on anvil: the on-chain Transfer equals the price", async () => {
    const result = await runDemo(silentLog);
    expect(result.transaction).toMatch(/^0x[0-9a-f]{64}$/);
    expect(result.transferred).toBe(PRICE_ATOMIC);
    expect(result.payerDelta).toBe(PRICE_ATOMIC);
    expect(result.payToDelta).toBe(PRICE_ATOMIC);
  });
});
