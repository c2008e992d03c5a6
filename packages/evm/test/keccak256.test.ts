import { keccak_256 } from "@noble/hashes/sha3";
import { bytesToHex, keccak256 } from "viem";
import { describe, expect, it } from "vitest";
import { keccak256Bytes } from "../src/signature/keccak256.js";

describe("keccak256Bytes", () => {
  it("hashes the empty input and a known text like Ethereum does", () => {
    expect(bytesToHex(keccak256Bytes(new Uint8Array()))).toBe(
      "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470",
    );
    const text = new TextEncoder().encode(
      "TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)",
    );
    expect(bytesToHex(keccak256Bytes(text))).toBe(
      "0x7c7c6cdb67a18743f49ec6fa9b35f50d52ed05cbed4cc592e13b44501c1a2267",
    );
  });

  it("equals @noble/hashes and viem on random inputs of every length around the 136-byte rate", () => {
    for (let length = 0; length <= 420; length++) {
      const input = crypto.getRandomValues(new Uint8Array(length));
      const expected = bytesToHex(keccak_256(input));
      expect(bytesToHex(keccak256Bytes(input))).toBe(expected);
      expect(keccak256(input)).toBe(expected);
    }
  });

  it("does not change its input", () => {
    const input = crypto.getRandomValues(new Uint8Array(200));
    const copy = input.slice();
    keccak256Bytes(input);
    expect(input).toEqual(copy);
  });
});
