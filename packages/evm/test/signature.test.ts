import { hashTypedData, recoverTypedDataAddress } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import {
  loadSecp256k1Backend,
  parseErc6492Signature,
  pureSecp256k1Backend,
  recoverDigestSignerWith,
  transferWithAuthorizationDigest,
  wrapErc6492Signature,
} from "../src/signature/index.js";
import { transferWithAuthorizationTypedData } from "../src/typedData.js";

const account = privateKeyToAccount(generatePrivateKey());
const domain = {
  name: "USD Coin",
  version: "2",
  chainId: 8453,
  verifyingContract: "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913",
} as const;
const message = {
  from: account.address,
  to: "0x209693Bc6afc0C5328bA36FaF03C514EF312287C",
  value: 10_000n,
  validAfter: 0n,
  validBefore: 1_900_000_000n,
  nonce: `0x${"ab".repeat(32)}`,
} as const;
const typedData = transferWithAuthorizationTypedData(domain, message);

describe("signature", () => {
  it("computes the TransferWithAuthorization digest as viem does", () => {
    expect(transferWithAuthorizationDigest(domain, message)).toBe(hashTypedData(typedData));
    const other = { ...domain, name: "USDC", chainId: 84532 };
    expect(transferWithAuthorizationDigest(other, message)).toBe(
      hashTypedData(transferWithAuthorizationTypedData(other, message)),
    );
  });

  it("loads the native backend in Node (secp256k1 is installed here)", async () => {
    expect((await loadSecp256k1Backend()).kind).toBe("native");
  });

  it("recovers the signer with both backends, as viem does", async () => {
    const signature = await account.signTypedData(typedData);
    const digest = transferWithAuthorizationDigest(domain, message);
    const expected = (await recoverTypedDataAddress({ ...typedData, signature })).toLowerCase();
    expect(expected).toBe(account.address.toLowerCase());
    for (const backend of [pureSecp256k1Backend, await loadSecp256k1Backend()])
      expect(recoverDigestSignerWith(backend, digest, signature)).toBe(expected);
  });

  it("accepts v as 0/1 and refuses high s, bad v, zero r and wrong length", async () => {
    const signature = await account.signTypedData(typedData);
    const digest = transferWithAuthorizationDigest(domain, message);
    const backend = await loadSecp256k1Backend();
    const v = Number.parseInt(signature.slice(130), 16);
    const parity = `${signature.slice(0, 130)}0${v - 27}` as `0x${string}`;
    expect(recoverDigestSignerWith(backend, digest, parity)).toBe(account.address.toLowerCase());
    const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
    const s = BigInt(`0x${signature.slice(66, 130)}`);
    const highS = `${signature.slice(0, 66)}${(n - s).toString(16).padStart(64, "0")}${(55 - v).toString(16)}`;
    expect(recoverDigestSignerWith(backend, digest, highS as `0x${string}`)).toBeUndefined();
    expect(
      recoverDigestSignerWith(backend, digest, `${signature.slice(0, 130)}1d` as `0x${string}`),
    ).toBeUndefined();
    expect(
      recoverDigestSignerWith(backend, digest, `0x${"0".repeat(64)}${signature.slice(66)}`),
    ).toBeUndefined();
    expect(
      recoverDigestSignerWith(backend, digest, signature.slice(0, 128) as `0x${string}`),
    ).toBeUndefined();
  });

  it("wraps and unwraps ERC-6492 signatures; a plain signature is not one", async () => {
    const innerSignature = await account.signTypedData(typedData);
    const wrapped = { factory: message.to, factoryCalldata: "0x12345678", innerSignature } as const;
    const signature = wrapErc6492Signature(wrapped);
    expect(parseErc6492Signature(signature)).toEqual(wrapped);
    expect(parseErc6492Signature(innerSignature)).toBeUndefined();
    expect(parseErc6492Signature(`0x${"00".repeat(40)}${"6492".repeat(16)}`)).toBeUndefined();
  });
});
