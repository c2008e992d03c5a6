import { describe, expect, it } from "vitest";
import { runStellarDemo, STELLAR_PRICE_ATOMIC } from "../src/chains/stellar.js";
import { silentLog } from "../src/steps.js";

describe("the main job on Stellar", () => {
  it("settles one paid request on the local stand-in: the transfer equals the price", async () => {
    const result = await runStellarDemo(silentLog);
    expect(result.transaction).toMatch(/^[0-9a-f]{64}$/);
    expect(result.transferred).toBe(STELLAR_PRICE_ATOMIC);
    expect(result.payerDelta).toBe(STELLAR_PRICE_ATOMIC);
    expect(result.payToDelta).toBe(STELLAR_PRICE_ATOMIC);
  });
});
