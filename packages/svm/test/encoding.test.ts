import { ed25519 } from "@noble/curves/ed25519.js";
import { getBase58Decoder } from "@solana/kit";
import { describe, expect, it, vi } from "vitest";
import { ed25519Backend, verifyEd25519 } from "../src/crypto.js";
import { base58ToBytes, base64ToBytes, bytesToBase58, bytesToBase64 } from "../src/encoding.js";
import { normalizeNetwork, tryNormalizeNetwork, validateSvmAddress } from "../src/network.js";

describe("base58 / base64", () => {
  it("round-trips random bytes and agrees with @solana/kit's base58", () => {
    for (let i = 0; i < 200; i++) {
      const bytes = crypto.getRandomValues(new Uint8Array(i % 70));
      if (i % 7 === 0 && bytes.length > 2) bytes.fill(0, 0, 2); // leading zeros become '1's
      const text = bytesToBase58(bytes);
      expect(text).toBe(getBase58Decoder().decode(bytes));
      expect(base58ToBytes(text)).toEqual(bytes);
      expect(base64ToBytes(bytesToBase64(bytes))).toEqual(bytes);
    }
  });

  it("refuses characters outside the alphabets", () => {
    expect(() => base58ToBytes("0OIl")).toThrow();
    expect(() => base64ToBytes("not base64!")).toThrow();
  });
});

describe("ed25519", () => {
  it("verifies natively in Node, agreeing with @noble/curves on good and bad signatures", () => {
    expect(ed25519Backend).toBe("node:crypto");
    const secret = ed25519.utils.randomSecretKey();
    const publicKey = ed25519.getPublicKey(secret);
    const message = crypto.getRandomValues(new Uint8Array(300));
    const signature = ed25519.sign(message, secret);
    expect(verifyEd25519(signature, message, publicKey)).toBe(true);
    const tampered = Uint8Array.from(signature);
    tampered[10] = (tampered[10] as number) ^ 1;
    expect(verifyEd25519(tampered, message, publicKey)).toBe(false);
    expect(ed25519.verify(tampered, message, publicKey)).toBe(false);
    expect(verifyEd25519(new Uint8Array(64), message, publicKey)).toBe(false);
    expect(verifyEd25519(signature, message, new Uint8Array(31))).toBe(false);
  });
});

describe("ed25519 without node:crypto (a browser)", () => {
  it("falls back to @noble/curves and gives the same answers", async () => {
    const get = process.getBuiltinModule;
    vi.resetModules();
    (process as { getBuiltinModule?: unknown }).getBuiltinModule = undefined;
    try {
      const pure = await import("../src/crypto.js");
      expect(pure.ed25519Backend).toBe("noble");
      const secret = ed25519.utils.randomSecretKey();
      const message = new TextEncoder().encode("x402");
      const signature = ed25519.sign(message, secret);
      expect(pure.verifyEd25519(signature, message, ed25519.getPublicKey(secret))).toBe(true);
      expect(
        pure.verifyEd25519(signature, new TextEncoder().encode("x403"), ed25519.getPublicKey(secret)),
      ).toBe(false);
      expect(pure.sha256(message)).toEqual(new Uint8Array(await crypto.subtle.digest("SHA-256", message)));
    } finally {
      process.getBuiltinModule = get;
      vi.resetModules();
    }
  });
});

describe("networks and addresses", () => {
  it("maps v1 names, accepts the three clusters, refuses the rest", () => {
    expect(normalizeNetwork("solana-devnet")).toBe("solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1");
    expect(normalizeNetwork("solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp")).toBe(
      "solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp",
    );
    expect(tryNormalizeNetwork("solana:local")).toBeUndefined();
    expect(() => normalizeNetwork("eip155:1")).toThrow(/not a Solana cluster/);
  });

  it("checks that an address decodes to 32 bytes", () => {
    expect(validateSvmAddress("EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v")).toBe(true);
    expect(validateSvmAddress("1111111111111111111111111111111111111111111")).toBe(false);
    expect(validateSvmAddress("0xdeadbeef")).toBe(false);
  });
});
