import { describe, expect, it } from "vitest";
import { runSolanaDemo, SOLANA_PRICE_ATOMIC } from "../src/chains/solana.js";
import { silentLog } from "../src/steps.js";

describe("the main job on Solana", () => {
  it("settles one paid request on the litesvm-backed devnet: the landed TransferChecked equals the price", async () => {
    const result = await runSolanaDemo(silentLog);
    expect(result.transaction).toMatch(/^[1-9A-HJ-NP-Za-km-z]{64,88}$/);
    expect(result.transferred).toBe(SOLANA_PRICE_ATOMIC);
    expect(result.payerDelta).toBe(SOLANA_PRICE_ATOMIC);
    expect(result.payToDelta).toBe(SOLANA_PRICE_ATOMIC);
  });
});
