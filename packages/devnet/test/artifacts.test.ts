import { describe, expect, it } from "vitest";
import { compileContracts } from "../scripts/compile.js";
import { multicall3Abi, multicall3RuntimeBytecode, testUsdcAbi, testUsdcBytecode } from "../src/index.js";
import { erc1271WalletAbi, erc1271WalletBytecode } from "./fixtures/erc1271WalletArtifact.js";

describe("committed contract artifacts", () => {
  it("match a fresh solc compile (run `pnpm --filter @x402kit/devnet compile-contracts` if not)", () => {
    const fresh = compileContracts();
    expect(testUsdcBytecode).toBe(fresh.TestUSDC.bytecode);
    expect(testUsdcAbi).toEqual(fresh.TestUSDC.abi);
    expect(multicall3RuntimeBytecode).toBe(fresh.DevnetMulticall3.deployedBytecode);
    expect(multicall3Abi).toEqual(fresh.DevnetMulticall3.abi);
    expect(erc1271WalletBytecode).toBe(fresh.TestERC1271Wallet.bytecode);
    expect(erc1271WalletAbi).toEqual(fresh.TestERC1271Wallet.abi);
  });
});
