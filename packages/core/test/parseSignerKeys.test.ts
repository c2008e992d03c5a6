import { type FacilitatorConfigProblem, parseSignerKeys } from "@x402kit/core/facilitator";
import { describe, expect, it } from "vitest";

const messages = { missing: "at least one key is required", invalid: "must be a hex key" };
const hex = (key: unknown) => (typeof key === "string" && /^0x[0-9a-f]+$/.test(key) ? key.length : undefined);

describe("parseSignerKeys (the plugins' signer key lists)", () => {
  it("returns the parsed keys when every key parses", () => {
    const errors: FacilitatorConfigProblem[] = [];
    expect(parseSignerKeys(["0xab", "0xabcd"], "signers.x.keys", hex, messages, errors)).toEqual([4, 6]);
    expect(errors).toEqual([]);
  });

  it("names each malformed key by index, never by value", () => {
    const errors: FacilitatorConfigProblem[] = [];
    expect(parseSignerKeys(["0xab", "secret!", 7], "signers.x.keys", hex, messages, errors)).toEqual([4]);
    expect(errors).toEqual([
      { field: "signers.x.keys[1]", message: "must be a hex key" },
      { field: "signers.x.keys[2]", message: "must be a hex key" },
    ]);
  });

  it("requires at least one key", () => {
    for (const keys of [undefined, [], "0xab"]) {
      const errors: FacilitatorConfigProblem[] = [];
      expect(parseSignerKeys(keys, "signers.x.keys", hex, messages, errors)).toEqual([]);
      expect(errors).toEqual([{ field: "signers.x.keys", message: "at least one key is required" }]);
    }
  });
});
