import { hashDomain, hashTypedData, type TypedDataDefinition } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { x402ExactPermit2ProxyAddress, x402UptoPermit2ProxyAddress } from "../../src/permit2/constants.js";
import {
  type PermitWitnessTransferFromMessage,
  permit2Domain,
  permit2WitnessTypedData,
  permit2WitnessTypes,
  uptoPermit2WitnessTypes,
} from "../../src/permit2/typedData.js";
import {
  permit2DomainSeparator,
  permitWitnessTransferFromDigest,
  pureSecp256k1Backend,
  recoverDigestSigner,
  recoverDigestSignerWith,
} from "../../src/signature/index.js";

// Golden vectors: /work/shared/protocol/schemes/exact-evm.md §7 and upto.md §2.7 (anvil key #0, Base Sepolia).
const ANVIL_0 = privateKeyToAccount("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
const ASSET = "0x036CbD53842c5426634e7929541eC2318f3dCF7e";
const PAY_TO = "0x209693Bc6afc0C5328bA36FaF03C514EF312287C";
const FACILITATOR = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

const exactVector = {
  permitted: { token: ASSET, amount: "10000" },
  spender: x402ExactPermit2ProxyAddress,
  nonce: "12345678901234567890",
  deadline: "1900000000",
  witness: { to: PAY_TO, validAfter: "0" },
} as const;
const uptoVector = {
  permitted: { token: ASSET, amount: "5000000" },
  spender: x402UptoPermit2ProxyAddress,
  nonce: "12345678901234567890",
  deadline: "1900000000",
  witness: { to: PAY_TO, facilitator: FACILITATOR, validAfter: "0" },
} as const;

const viemDigest = (
  chainId: number,
  types: typeof permit2WitnessTypes | typeof uptoPermit2WitnessTypes,
  message: PermitWitnessTransferFromMessage,
) => hashTypedData(permit2WitnessTypedData(chainId, types, message) as unknown as TypedDataDefinition);

const randomHex = (bytes: number) =>
  `0x${Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, "0")).join("")}` as const;
const randomUint = (bytes: number) => (bytes === 0 ? 0n : BigInt(randomHex(bytes)));
const randomAddress = () => privateKeyToAccount(generatePrivateKey()).address;
/** Random letter case: hashing must not depend on the checksum. */
const scrambleCase = (address: string) =>
  `0x${[...address.slice(2)].map((c) => (Math.random() < 0.5 ? c.toUpperCase() : c.toLowerCase())).join("")}`;

describe("Permit2 PermitWitnessTransferFrom digest", () => {
  it("reproduces the exact golden vector (exact-evm.md §7) and its signature recovers to anvil #0", async () => {
    const digest = permitWitnessTransferFromDigest(84532, permit2WitnessTypes, exactVector);
    expect(digest).toBe("0x5773ed477918b34b5786e1ee182c07d561ec542df85d7601b02e7e6cdf419044");
    const signature =
      "0xdc936281001a24f7e6a8db45bf94f97ca4a85fe14c8f271a1a1943057e00b5384eaf19da927b804b043d22416641768659454d700bcd6af4d18b619d653d10d11c";
    expect(await recoverDigestSigner(digest, signature)).toBe(ANVIL_0.address.toLowerCase());
    expect(recoverDigestSignerWith(pureSecp256k1Backend, digest, signature)).toBe(
      ANVIL_0.address.toLowerCase(),
    );
  });

  it("reproduces the upto golden vector (upto.md §2.7) and its signature recovers to anvil #0", async () => {
    const digest = permitWitnessTransferFromDigest(84532, uptoPermit2WitnessTypes, uptoVector);
    expect(digest).toBe("0xfafc9994a7e4805de24e5ffbf27fca1b370d804ad0db15ff538bddba2c4d45fc");
    const signature =
      "0x216e6405e954b01eaf3273d83e01cb889b5fb51e1d33913ec5f45c86013aac5b6128e15f036c13a856b58b9568e7a01b8fe5d27f34a54f974be87108b217f1d01c";
    expect(await recoverDigestSigner(digest, signature)).toBe(ANVIL_0.address.toLowerCase());
  });

  it("uses Permit2's domain separator (no version), cached per chain", () => {
    for (const chainId of [1, 8453, 84532, 31337]) {
      const expected = hashDomain({
        domain: { ...permit2Domain(chainId), chainId: BigInt(chainId) },
        types: {
          EIP712Domain: [
            { name: "name", type: "string" },
            { name: "chainId", type: "uint256" },
            { name: "verifyingContract", type: "address" },
          ],
        },
      });
      expect(`0x${Buffer.from(permit2DomainSeparator(chainId)).toString("hex")}`).toBe(expected);
      expect(permit2DomainSeparator(chainId)).toBe(permit2DomainSeparator(chainId));
    }
  });

  it("equals viem's hashTypedData on random exact and upto messages, in any address case and number spelling", () => {
    for (let round = 0; round < 100; round++) {
      const chainId = 1 + Number(randomUint(3));
      const base = {
        permitted: { token: randomAddress(), amount: randomUint(1 + (round % 32)) },
        spender: randomAddress(),
        nonce: randomUint(32),
        deadline: randomUint(round % 2 === 0 ? 5 : 32),
      };
      const exact = { ...base, witness: { to: randomAddress(), validAfter: randomUint(round % 8) } };
      const upto = { ...base, witness: { ...exact.witness, facilitator: randomAddress() } };
      for (const [types, message] of [
        [permit2WitnessTypes, exact],
        [uptoPermit2WitnessTypes, upto],
      ] as const) {
        const expected = viemDigest(chainId, types, message);
        expect(permitWitnessTransferFromDigest(chainId, types, message)).toBe(expected);
        // As a facilitator receives it: strings (decimal or hex) and addresses in any case.
        const spelled = (value: bigint) => (round % 2 === 0 ? value.toString(10) : `0x${value.toString(16)}`);
        const wire = {
          permitted: {
            token: scrambleCase(message.permitted.token),
            amount: spelled(message.permitted.amount),
          },
          spender: scrambleCase(message.spender),
          nonce: spelled(message.nonce),
          deadline: spelled(message.deadline),
          witness: Object.fromEntries(
            Object.entries(message.witness).map(([key, value]) => [
              key,
              typeof value === "bigint" ? spelled(value) : scrambleCase(value),
            ]),
          ),
        };
        expect(permitWitnessTransferFromDigest(chainId, types, wire)).toBe(expected);
      }
    }
  });

  it("recovers the payer of a signature made by viem over the typed data", async () => {
    const payer = privateKeyToAccount(generatePrivateKey());
    const message = {
      ...uptoVector,
      permitted: { token: ASSET as `0x${string}`, amount: 1n },
      nonce: 7n,
      deadline: 2n ** 48n,
      witness: { ...uptoVector.witness, validAfter: 5n },
    };
    const signature = await payer.signTypedData(
      permit2WitnessTypedData(8453, uptoPermit2WitnessTypes, message) as never,
    );
    const digest = permitWitnessTransferFromDigest(8453, uptoPermit2WitnessTypes, message);
    expect(await recoverDigestSigner(digest, signature)).toBe(payer.address.toLowerCase());
    // Another chain, another digest: the signature no longer recovers to the payer.
    const elsewhere = permitWitnessTransferFromDigest(1, uptoPermit2WitnessTypes, message);
    expect(await recoverDigestSigner(elsewhere, signature)).not.toBe(payer.address.toLowerCase());
  });

  it("refuses malformed addresses and numbers outside uint256", () => {
    const bad = (patch: Record<string, unknown>) => () =>
      permitWitnessTransferFromDigest(1, permit2WitnessTypes, { ...exactVector, ...patch } as never);
    expect(bad({ spender: "0x1234" })).toThrow(TypeError);
    expect(bad({ spender: `0x${"g".repeat(40)}` })).toThrow(TypeError);
    expect(bad({ nonce: (2n ** 256n).toString() })).toThrow(RangeError);
    expect(bad({ deadline: -1n })).toThrow(RangeError);
    expect(bad({ witness: { validAfter: "0" } })).toThrow(TypeError);
  });
});
