import { describe, expect, it } from "vitest";
import { APTOS_PRICE_ATOMIC, runAptosDemo } from "../src/chains/aptos.js";
import { silentLog } from "../src/steps.js";

describe("the main job on Aptos (local stand-in of the node REST API)", () => {
  it("settles one paid request: the transfer and both balance changes equal the price", async () => {
    const result = await runAptosDemo(silentLog);
    expect(result.transaction).toMatch(/^0x[0-9a-f]{64}$/);
    expect(result.transferred).toBe(APTOS_PRICE_ATOMIC);
    expect(result.payerDelta).toBe(APTOS_PRICE_ATOMIC);
    expect(result.payToDelta).toBe(APTOS_PRICE_ATOMIC);
  });
});
