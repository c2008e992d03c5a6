import { createKeyPairSignerFromPrivateKeyBytes } from "@solana/kit";
import type { PaymentPayload, PaymentRequirements } from "@x402kit/core";
import { describe, expect, it } from "vitest";
import { SOLANA_DEVNET_CAIP2, USDC_DEVNET_ADDRESS } from "../src/constants.js";
import { bytesToBase64 } from "../src/encoding.js";
import { ExactSvmScheme } from "../src/exact/server/index.js";
import { decodeWireTransaction, encodeWireTransaction } from "../src/wireTransaction.js";
import { craftOfflineTransfer } from "./support/offlineTransfer.js";

const scheme = new ExactSvmScheme();
const feePayer = "4wxJN2ZZyynKrjY9kGH8KCC1gqNs7VePdvJWjkMtSZj4";

describe("SVM exact, server side", () => {
  it("prices dollars in the network's USDC and passes asset amounts through", async () => {
    expect(await scheme.parsePrice("$0.01", SOLANA_DEVNET_CAIP2)).toEqual({
      amount: "10000",
      asset: USDC_DEVNET_ADDRESS,
    });
    expect(await scheme.parsePrice(0.5, SOLANA_DEVNET_CAIP2)).toEqual({
      amount: "500000",
      asset: USDC_DEVNET_ADDRESS,
    });
    expect(await scheme.parsePrice({ amount: "7", asset: feePayer }, SOLANA_DEVNET_CAIP2)).toEqual({
      amount: "7",
      asset: feePayer,
    });
    await expect(scheme.parsePrice("$0.01", "solana:local")).rejects.toMatchObject({ code: "invalid_price" });
    await expect(
      scheme.parsePrice({ amount: "1.5", asset: feePayer }, SOLANA_DEVNET_CAIP2),
    ).rejects.toMatchObject({
      code: "invalid_price",
    });
  });

  it("copies the facilitator's fee payer and refuses a facilitator without one", async () => {
    const requirements = {
      scheme: "exact",
      network: SOLANA_DEVNET_CAIP2,
      extra: { memo: "m" },
    } as unknown as PaymentRequirements;
    const kind = { x402Version: 2, scheme: "exact", network: SOLANA_DEVNET_CAIP2, extra: { feePayer } };
    expect((await scheme.enhancePaymentRequirements(requirements, kind, [])).extra).toEqual({
      memo: "m",
      feePayer,
    });
    expect(scheme.validateFacilitatorSupport(SOLANA_DEVNET_CAIP2, kind)).toBeUndefined();
    expect(scheme.validateFacilitatorSupport(SOLANA_DEVNET_CAIP2, { ...kind, extra: {} })).toMatch(
      /feePayer/,
    );
    expect(scheme.dynamicExtraFields).toEqual(["recentBlockhash", "lastValidBlockHeight"]);
  });

  it("identifies a payment by its message: the unsigned fee-payer slot does not change the id", async () => {
    const payer = await createKeyPairSignerFromPrivateKeyBytes(new Uint8Array(32).fill(3));
    const wire = await craftOfflineTransfer(payer, feePayer);
    const tx = decodeWireTransaction(wire);
    const tampered = encodeWireTransaction(
      [new Uint8Array(64).fill(9), ...tx.signatures.slice(1)],
      tx.messageBytes,
    );
    const payload = (bytes: Uint8Array) =>
      ({
        accepted: { network: SOLANA_DEVNET_CAIP2 },
        payload: { transaction: bytesToBase64(bytes) },
      }) as unknown as PaymentPayload;
    const id = scheme.paymentId(payload(wire));
    expect(id).toMatch(/^solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1:[A-Za-z0-9+/]{43}=$/);
    expect(scheme.paymentId(payload(tampered))).toBe(id);
    expect(scheme.paymentId(payload(await craftOfflineTransfer(payer, feePayer)))).not.toBe(id);
    expect(
      scheme.paymentId({ accepted: {}, payload: { transaction: "%%" } } as unknown as PaymentPayload),
    ).toBeUndefined();
  });
});
