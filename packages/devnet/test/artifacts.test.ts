import { describe, expect, it } from "vitest";
import { CONTRACTS, compileContracts } from "../scripts/compile.js";

describe("committed contract artifacts", () => {
  it("match a fresh solc compile (run `pnpm --filter @x402kit/devnet compile-contracts` if not)", async () => {
    const fresh = compileContracts();
    for (const c of CONTRACTS) {
      const artifact = (await import(/* @vite-ignore */ `../${c.out.replace(/\.ts$/, ".js")}`)) as Record<
        string,
        unknown
      >;
      expect(artifact[c.exports.code], `${c.name} bytecode`).toBe(fresh[c.name][c.code]);
      expect(artifact[c.exports.abi], `${c.name} ABI`).toEqual(fresh[c.name].abi);
    }
  });
});
