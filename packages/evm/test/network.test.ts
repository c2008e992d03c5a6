import { isX402Error } from "@x402kit/core";
import { describe, expect, it } from "vitest";
import { parseEvmNetwork, toEvmNetwork, tryParseEvmNetwork } from "../src/index.js";

describe("parseEvmNetwork", () => {
  it("returns the chain id of eip155 networks", () => {
    expect(parseEvmNetwork("eip155:8453")).toBe(8453);
    expect(parseEvmNetwork("eip155:1")).toBe(1);
    expect(parseEvmNetwork("eip155:11142220")).toBe(11142220);
    expect(toEvmNetwork(84532)).toBe("eip155:84532");
  });

  it.each([
    "eip155:",
    "eip155:*",
    "eip155:0x2105",
    "eip155:-1",
    "eip155:0",
    " eip155:1",
    "eip155:1 ",
    "eip155:1.5",
    "EIP155:1",
    "solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp",
    "eip155:9007199254740993",
  ])("rejects %j", (network) => {
    expect(tryParseEvmNetwork(network)).toBeUndefined();
    try {
      parseEvmNetwork(network);
      expect.unreachable();
    } catch (error) {
      expect(isX402Error(error, "invalid_network")).toBe(true);
    }
  });

  it("returns undefined for non-strings", () => {
    expect(tryParseEvmNetwork(8453)).toBeUndefined();
    expect(tryParseEvmNetwork(undefined)).toBeUndefined();
  });
});
