import {
  Account,
  AccountAddress,
  ChainId,
  Ed25519PrivateKey,
  RawTransaction,
  SimpleTransaction,
} from "@aptos-labs/ts-sdk";
import type { PaymentPayload, PaymentRequirements } from "@x402kit/core";
import { describe, expect, it } from "vitest";
import { checkAptosPayment } from "../src/exact/facilitator/index.js";
import { deserializeAptosPayment, encodeAptosPayload, transferPayload } from "../src/index.js";
import { buildGolden, encodeGolden, type GoldenInput } from "./golden.js";

const seed = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
const FEE_PAYER = `0x${"fe".repeat(32)}`;
const NOW = 1_800_000_000;
const input: GoldenInput = {
  seed,
  sequenceNumber: 7n,
  asset: `0x${"aa".repeat(32)}`,
  payTo: `0x${"bb".repeat(32)}`,
  amount: 10_000n,
  maxGasAmount: 200_000n,
  gasUnitPrice: 100n,
  expiration: BigInt(NOW + 60),
  chainId: 2,
  feePayer: FEE_PAYER,
};
const golden = buildGolden(input);

const requirements: PaymentRequirements = {
  scheme: "exact",
  network: "aptos:2",
  amount: "10000",
  asset: input.asset,
  payTo: input.payTo,
  maxTimeoutSeconds: 60,
  extra: { feePayer: FEE_PAYER },
};
const payloadOf = (encoded: string): PaymentPayload => ({
  x402Version: 2,
  accepted: requirements,
  payload: { transaction: encoded },
});
const context = { feePayers: [FEE_PAYER], nowSeconds: NOW, maxGasAmount: 500_000n, maxGasUnitPrice: 1_000n };

describe("golden payloads from the spec's byte layout", () => {
  it("decode field by field", () => {
    const { transaction, senderAuthenticator, entryFunction } = deserializeAptosPayment(golden.encoded);
    const raw = transaction.rawTransaction;
    expect(raw.sender.toStringLong()).toBe(golden.sender);
    expect(raw.sequence_number).toBe(7n);
    expect(raw.max_gas_amount).toBe(200_000n);
    expect(raw.gas_unit_price).toBe(100n);
    expect(raw.expiration_timestamp_secs).toBe(input.expiration);
    expect(raw.chain_id.chainId).toBe(2);
    expect(transaction.feePayerAddress?.toStringLong()).toBe(FEE_PAYER);
    expect(senderAuthenticator.isEd25519()).toBe(true);
    expect(entryFunction?.function_name.identifier).toBe("transfer");
    expect(entryFunction?.type_args[0]?.toString()).toBe("0x1::fungible_asset::Metadata");
    expect(transaction.bcsToBytes()).toEqual(golden.transaction);
  });

  it("verify in our facilitator (signature over the fee-payer signing message)", () => {
    const result = checkAptosPayment(payloadOf(golden.encoded), requirements, context);
    expect(result).toMatchObject({ ok: true, checked: { payer: golden.sender, sponsored: true } });
  });

  it("verify unsponsored (signature over the plain signing message)", () => {
    const plain = buildGolden({ ...input, feePayer: undefined });
    const unsponsored = { ...requirements, extra: {} };
    const result = checkAptosPayment(
      { ...payloadOf(plain.encoded), accepted: unsponsored },
      unsponsored,
      context,
    );
    expect(result.ok).toBe(true);
  });

  it("are what our encoder produces, byte for byte", () => {
    const account = Account.fromPrivateKey({ privateKey: new Ed25519PrivateKey(seed) });
    expect(account.accountAddress.toStringLong()).toBe(golden.sender);
    const raw = new RawTransaction(
      account.accountAddress,
      input.sequenceNumber,
      transferPayload(input.asset, input.payTo, input.amount),
      input.maxGasAmount,
      input.gasUnitPrice,
      input.expiration,
      new ChainId(input.chainId),
    );
    const transaction = new SimpleTransaction(raw, AccountAddress.from(FEE_PAYER));
    const authenticator = account.signTransactionWithAuthenticator(transaction);
    expect(raw.bcsToBytes()).toEqual(golden.rawTransaction);
    expect(authenticator.bcsToBytes()).toEqual(golden.authenticator);
    expect(encodeAptosPayload(transaction.bcsToBytes(), authenticator.bcsToBytes())).toBe(golden.encoded);
  });

  it("refuse a flipped signature bit, a flipped amount byte and a fee payer swapped after signing", () => {
    const badSignature = Uint8Array.from(golden.authenticator);
    badSignature[badSignature.length - 1] = (badSignature[badSignature.length - 1] as number) ^ 1;
    expect(
      checkAptosPayment(payloadOf(encodeGolden(golden.transaction, badSignature)), requirements, context),
    ).toMatchObject({
      ok: false,
      reason: "invalid_exact_aptos_payload_sender_authenticator_invalid_signature",
    });
    // The amount's low byte sits right before max_gas_amount, gas price, expiration and chain id (8+8+8+1 bytes).
    const amountAt = golden.rawTransaction.length - 25 - 8;
    const richer = Uint8Array.from(golden.transaction);
    richer[amountAt] = 0x11; // 10000 = 0x2710 → 0x2711
    const asRequired = { ...requirements, amount: "10001" };
    expect(
      checkAptosPayment(
        { ...payloadOf(encodeGolden(richer, golden.authenticator)), accepted: asRequired },
        asRequired,
        context,
      ),
    ).toMatchObject({
      ok: false,
      reason: "invalid_exact_aptos_payload_sender_authenticator_invalid_signature",
    });
    const otherFeePayer = `0x${"fd".repeat(32)}`;
    const swapped = Uint8Array.from(golden.transaction);
    swapped.set(Buffer.from(otherFeePayer.slice(2), "hex"), swapped.length - 32);
    const theirs = { ...requirements, extra: { feePayer: otherFeePayer } };
    expect(
      checkAptosPayment(
        { ...payloadOf(encodeGolden(swapped, golden.authenticator)), accepted: theirs },
        theirs,
        {
          ...context,
          feePayers: [otherFeePayer],
        },
      ),
    ).toMatchObject({
      ok: false,
      reason: "invalid_exact_aptos_payload_sender_authenticator_invalid_signature",
    });
  });

  it("refuse trailing bytes and non-byte values in the JSON arrays", () => {
    const trailing = encodeGolden(Uint8Array.from([...golden.transaction, 0]), golden.authenticator);
    expect(checkAptosPayment(payloadOf(trailing), requirements, context)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^invalid_exact_aptos_payload_verification_error: /),
    });
    const json = JSON.stringify({
      transaction: [...golden.transaction].map((b, i) => (i === 0 ? b + 256 : b)),
      senderAuthenticator: [...golden.authenticator],
    });
    expect(
      checkAptosPayment(payloadOf(Buffer.from(json).toString("base64")), requirements, context),
    ).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^invalid_exact_aptos_payload_verification_error: /),
    });
  });
});
