import { decodeFunctionResult, encodeAbiParameters, encodeFunctionData, erc20Abi, getAddress } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { toChecksumAddress } from "../src/exact/client/address.js";
import {
  decodeUint256Result,
  encodeAllowanceCall,
  encodeApproveCall,
  encodeNoncesCall,
} from "../src/exact/client/tokenCalls.js";
import { erc20PermitAbi, MAX_UINT256, PERMIT2_ADDRESS } from "../src/permit2/index.js";

const randomAddress = () => privateKeyToAccount(generatePrivateKey()).address;
const randomUint = () => {
  const bytes = crypto.getRandomValues(new Uint8Array(1 + Math.floor(Math.random() * 32)));
  return bytes.reduce((value, byte) => (value << 8n) | BigInt(byte), 0n);
};

// The client's hand-encoded token calls against viem's generic ABI coder, on random inputs.
describe("client token calls (hand-encoded) equal viem's encodeFunctionData", () => {
  it("allowance(owner, spender), in any letter case", () => {
    for (let i = 0; i < 50; i++) {
      const [owner, spender] = [randomAddress(), randomAddress()];
      const expected = encodeFunctionData({
        abi: erc20PermitAbi,
        functionName: "allowance",
        args: [owner, spender],
      });
      expect(encodeAllowanceCall(owner, spender)).toBe(expected);
      expect(encodeAllowanceCall(owner.toLowerCase(), spender.toUpperCase().replace("0X", "0x"))).toBe(
        expected,
      );
    }
  });

  it("nonces(owner)", () => {
    for (let i = 0; i < 50; i++) {
      const owner = randomAddress();
      expect(encodeNoncesCall(owner)).toBe(
        encodeFunctionData({ abi: erc20PermitAbi, functionName: "nonces", args: [owner] }),
      );
    }
  });

  it("approve(spender, amount), including 0 and 2^256 − 1", () => {
    for (const amount of [0n, 1n, MAX_UINT256, ...Array.from({ length: 50 }, randomUint)]) {
      const spender = amount % 2n === 0n ? PERMIT2_ADDRESS : randomAddress();
      expect(encodeApproveCall(spender, amount)).toBe(
        encodeFunctionData({ abi: erc20Abi, functionName: "approve", args: [spender, amount] }),
      );
    }
  });

  it("refuses malformed addresses and amounts outside uint256", () => {
    expect(() => encodeNoncesCall("0x1234")).toThrow(TypeError);
    expect(() => encodeApproveCall(PERMIT2_ADDRESS, -1n)).toThrow(RangeError);
    expect(() => encodeApproveCall(PERMIT2_ADDRESS, MAX_UINT256 + 1n)).toThrow(RangeError);
  });

  it("decodes a uint256 result as viem's decodeFunctionResult does", () => {
    for (const value of [0n, 1n, MAX_UINT256, ...Array.from({ length: 50 }, randomUint)]) {
      const data = encodeAbiParameters([{ type: "uint256" }], [value]);
      expect(decodeUint256Result(data)).toBe(
        decodeFunctionResult({ abi: erc20PermitAbi, functionName: "allowance", data }),
      );
    }
    expect(() => decodeUint256Result("0x")).toThrow(TypeError);
    expect(() => decodeUint256Result("not hex")).toThrow(TypeError);
  });
});

describe("toChecksumAddress equals viem's getAddress", () => {
  it("for random addresses in lower, upper and checksummed case", () => {
    for (let i = 0; i < 100; i++) {
      const address = randomAddress();
      for (const spelling of [address, address.toLowerCase(), `0x${address.slice(2).toUpperCase()}`])
        expect(toChecksumAddress(spelling)).toBe(getAddress(spelling));
    }
  });

  it("refuses what getAddress refuses", () => {
    for (const bad of ["0x1234", "f39fd6e51aad88f6f4ce6ab8827279cfffb92266", `0x${"g".repeat(40)}`, ""]) {
      expect(() => getAddress(bad)).toThrow();
      expect(() => toChecksumAddress(bad)).toThrow(TypeError);
    }
  });
});
