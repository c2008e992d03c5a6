import { encodeFunctionData, getAddress } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { x402ExactPermit2ProxyABI, x402UptoPermit2ProxyABI } from "../../src/permit2/abi.js";
import { encodeExactPermit2Settle, permitTransferFromOf } from "../../src/permit2/settleCalldata.js";
import { encodeUptoSettle } from "../../src/upto/facilitator/uptoCalldata.js";

const randomHex = (bytes: number) =>
  `0x${Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, "0")).join("")}` as const;
const randomUint = (bytes: number) => (bytes === 0 ? "0" : BigInt(randomHex(bytes)).toString());
const randomAddress = () => privateKeyToAccount(generatePrivateKey()).address;
const lower = (address: string) => address.toLowerCase() as `0x${string}`;

function randomAuthorization(round: number) {
  return {
    from: round % 2 ? lower(randomAddress()) : randomAddress(),
    permitted: { token: randomAddress(), amount: randomUint(1 + (round % 32)) },
    spender: randomAddress(),
    nonce: randomUint(32),
    deadline: randomUint(5),
    witness: {
      to: round % 3 ? randomAddress() : lower(randomAddress()),
      facilitator: randomAddress(),
      validAfter: randomUint(round % 6),
    },
  };
}

describe("proxy settle calldata", () => {
  it("writes the exact proxy's settle as viem's encodeFunctionData does (signatures of 65 bytes and of any length)", () => {
    for (let round = 0; round < 60; round++) {
      const auth = randomAuthorization(round);
      const signature = randomHex(round % 3 === 0 ? 65 : 1 + round * 7);
      const payload = {
        signature,
        permit2Authorization: {
          ...auth,
          witness: { to: auth.witness.to, validAfter: auth.witness.validAfter },
        },
      };
      const expected = encodeFunctionData({
        abi: x402ExactPermit2ProxyABI,
        functionName: "settle",
        args: [
          permitTransferFromOf(auth),
          getAddress(auth.from),
          { to: getAddress(auth.witness.to), validAfter: BigInt(auth.witness.validAfter) },
          signature,
        ],
      });
      expect(encodeExactPermit2Settle(payload)).toBe(expected);
    }
  });

  it("writes the upto proxy's settle with the charged amount as viem does", () => {
    for (let round = 0; round < 60; round++) {
      const auth = randomAuthorization(round);
      const signature = randomHex(round % 2 === 0 ? 65 : 32 * (round % 4) + 1);
      const charged = BigInt(randomUint(round % 8));
      const expected = encodeFunctionData({
        abi: x402UptoPermit2ProxyABI,
        functionName: "settle",
        args: [
          permitTransferFromOf(auth),
          charged,
          getAddress(auth.from),
          {
            to: getAddress(auth.witness.to),
            facilitator: getAddress(auth.witness.facilitator),
            validAfter: BigInt(auth.witness.validAfter),
          },
          signature,
        ],
      });
      expect(encodeUptoSettle({ signature, permit2Authorization: auth }, charged)).toBe(expected);
    }
  });

  it("refuses a malformed address or signature instead of writing bad calldata", () => {
    const auth = randomAuthorization(0);
    const payload = { signature: randomHex(65), permit2Authorization: auth };
    expect(() =>
      encodeExactPermit2Settle({ ...payload, permit2Authorization: { ...auth, from: "0x1234" } }),
    ).toThrow(TypeError);
    expect(() => encodeExactPermit2Settle({ ...payload, signature: "0xabc" })).toThrow(TypeError);
    expect(() => encodeUptoSettle(payload, -1n)).toThrow(RangeError);
  });
});
