import { createKeyPairSignerFromPrivateKeyBytes, getCompiledTransactionMessageDecoder } from "@solana/kit";
import { describe, expect, it } from "vitest";
import { decodeWireTransaction, encodeWireTransaction } from "../src/wireTransaction.js";
import { craftOfflineTransfer } from "./support/offlineTransfer.js";

const feePayer = "4wxJN2ZZyynKrjY9kGH8KCC1gqNs7VePdvJWjkMtSZj4";

describe("wire transactions", () => {
  it("decodes what @solana/kit compiles, and re-encodes it byte for byte", async () => {
    const payer = await createKeyPairSignerFromPrivateKeyBytes(new Uint8Array(32).fill(5));
    const wire = await craftOfflineTransfer(payer, feePayer);
    const tx = decodeWireTransaction(wire);
    const kit = getCompiledTransactionMessageDecoder().decode(tx.messageBytes) as unknown as {
      staticAccounts: string[];
      lifetimeToken: string;
      instructions: Array<{ programAddressIndex: number }>;
    };
    expect(tx.version).toBe(0);
    expect(tx.staticAccounts).toEqual(kit.staticAccounts);
    expect(tx.staticAccounts[0]).toBe(feePayer);
    expect(tx.recentBlockhash).toBe(kit.lifetimeToken);
    expect(tx.numRequiredSignatures).toBe(2);
    expect(tx.signatures[0]).toEqual(new Uint8Array(64));
    expect(tx.instructions.map((ix) => ix.programIdIndex)).toEqual(
      kit.instructions.map((ix) => ix.programAddressIndex),
    );
    expect(encodeWireTransaction(tx.signatures, tx.messageBytes)).toEqual(wire);
  });

  it("refuses truncated, padded and inconsistent bytes", async () => {
    const payer = await createKeyPairSignerFromPrivateKeyBytes(new Uint8Array(32).fill(6));
    const wire = await craftOfflineTransfer(payer, feePayer);
    expect(() => decodeWireTransaction(wire.subarray(0, wire.length - 1))).toThrow();
    expect(() => decodeWireTransaction(Uint8Array.from([...wire, 0]))).toThrow(/trailing/);
    const oneSignature = Uint8Array.from([1, ...wire.subarray(1 + 64)]);
    expect(() => decodeWireTransaction(oneSignature)).toThrow(/signatures/);
    expect(() => decodeWireTransaction(new Uint8Array(0))).toThrow();
  });
});
