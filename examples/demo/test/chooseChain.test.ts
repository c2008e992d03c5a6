import { describe, expect, it } from "vitest";
import { CHAIN_DEMOS, chainsFromArgs } from "../src/chooseChain.js";

describe("the demo's --chain flag", () => {
  it("defaults to EVM and reads one, several or all chains", () => {
    expect(chainsFromArgs([])).toEqual(["evm"]);
    expect(chainsFromArgs(["--chain", "solana"])).toEqual(["solana"]);
    expect(chainsFromArgs(["--chain=stellar,aptos"])).toEqual(["stellar", "aptos"]);
    expect(chainsFromArgs(["--chain", "evm", "--chain", "aptos"])).toEqual(["evm", "aptos"]);
    expect(chainsFromArgs(["--chain", "all"])).toEqual(Object.keys(CHAIN_DEMOS));
  });

  it("refuses a chain it does not know", () => {
    expect(() => chainsFromArgs(["--chain", "bitcoin"])).toThrow(/unknown chain "bitcoin"/);
  });
});
