import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PaymentPayload, PaymentRequirements } from "@x402kit/core";
import { SqliteStore } from "@x402kit/storage/sqlite";
import { ExactSvmScheme as OurClient } from "@x402kit/svm/exact/client";
import { ExactSvmScheme as OurFacilitator, toFacilitatorSvmSigner } from "@x402kit/svm/exact/facilitator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { craftTransfer, systemTransfer } from "../../../packages/svm/test/support/craftTransfer.js";
import { PRICE, type SvmStack, startSvmStack } from "../src/svmStack.js";

let stack: SvmStack;
beforeAll(async () => {
  stack = await startSvmStack();
});
afterAll(() => stack?.stop());

/** Requirements naming `feePayer` (ours: `facilitator`, the official engine's: `other`). */
function requirements(feePayer: string): PaymentRequirements {
  return {
    scheme: "exact",
    network: stack.devnet.network,
    amount: String(PRICE),
    asset: stack.devnet.usdc.address,
    payTo: stack.devnet.accounts.payTo.address,
    maxTimeoutSeconds: 60,
    extra: { feePayer },
  };
}

async function verifyAt(url: string, transaction: string, req: PaymentRequirements) {
  const paymentPayload = { x402Version: 2, accepted: req, payload: { transaction } };
  const response = await fetch(`${url}/verify`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ x402Version: 2, paymentPayload, paymentRequirements: req }),
  });
  return (await response.json()) as { isValid: boolean; invalidReason?: string };
}

type Attack = (feePayer: string) => Promise<string>;
const base = (feePayer: string) => ({
  payer: stack.devnet.accounts.payer.signer,
  feePayer,
  payTo: stack.devnet.accounts.payTo.address,
  amount: PRICE,
});
const attacks: Array<[string, string, Attack]> = [
  [
    "the fee payer as transfer authority",
    "invalid_exact_svm_payload_transaction_fee_payer_transferring_funds",
    async (feePayer) =>
      craftTransfer(stack.devnet, {
        ...base(feePayer),
        source: await stack.devnet.tokenAccount(feePayer),
        authorityAddress: feePayer,
      }),
  ],
  [
    "an extra instruction",
    "invalid_exact_svm_payload_unknown_fifth_instruction",
    (feePayer) =>
      craftTransfer(stack.devnet, {
        ...base(feePayer),
        extraInstructions: [
          systemTransfer(stack.devnet.accounts.payer.signer, stack.devnet.accounts.other.address, 1n),
        ],
      }),
  ],
  [
    "a compute price above the cap",
    "invalid_exact_svm_payload_transaction_instructions_compute_price_instruction_too_high",
    (feePayer) => craftTransfer(stack.devnet, { ...base(feePayer), computeUnitPrice: 5_000_001n }),
  ],
  [
    "the wrong mint",
    "invalid_exact_svm_payload_mint_mismatch",
    (feePayer) => craftTransfer(stack.devnet, { ...base(feePayer), mint: stack.devnet.usdc2022 }),
  ],
  [
    "a destination other than payTo's token account",
    "invalid_exact_svm_payload_recipient_mismatch",
    async (feePayer) =>
      craftTransfer(stack.devnet, {
        ...base(feePayer),
        destination: await stack.devnet.tokenAccount(stack.devnet.accounts.other.address),
      }),
  ],
  [
    "an amount one unit short",
    "invalid_exact_svm_payload_amount_mismatch",
    (feePayer) => craftTransfer(stack.devnet, { ...base(feePayer), amount: PRICE - 1n }),
  ],
  [
    "a missing client signature",
    "invalid_exact_svm_payload_signature_invalid",
    async (feePayer) => {
      const bytes = Buffer.from(await craftTransfer(stack.devnet, base(feePayer)), "base64");
      bytes.fill(0, 65, 129);
      return bytes.toString("base64");
    },
  ],
];

describe("the spec's attacks: ours and the official facilitator answer the same reason", () => {
  for (const [name, reason, attack] of attacks)
    it(name, async () => {
      const ours = requirements(stack.devnet.accounts.facilitator.address);
      const official = requirements(stack.devnet.accounts.other.address);
      expect(
        await verifyAt(stack.ours.url, await attack(ours.extra?.feePayer as string), ours),
      ).toMatchObject({
        isValid: false,
        invalidReason: reason,
      });
      expect(
        await verifyAt(stack.official.url, await attack(official.extra?.feePayer as string), official),
      ).toMatchObject({
        isValid: false,
        invalidReason: reason,
      });
    });
});

describe("one settlement across facilitator instances sharing a SQLite store", () => {
  it("settles 20 concurrent copies spread over two instances (separate connections) once", async () => {
    const dir = mkdtempSync(join(tmpdir(), "x402-svm-"));
    const stores = [new SqliteStore(join(dir, "x402.db")), new SqliteStore(join(dir, "x402.db"))];
    try {
      const signer = () =>
        toFacilitatorSvmSigner(stack.devnet.accounts.facilitator.signer, {
          defaultRpcUrl: stack.devnet.rpcUrl,
        });
      const instances = stores.map((store) => new OurFacilitator(signer(), { store }));
      const req = requirements(stack.devnet.accounts.facilitator.address);
      const client = new OurClient(stack.devnet.accounts.payer.signer, { rpcUrl: stack.devnet.rpcUrl });
      const payment = {
        x402Version: 2,
        accepted: req,
        payload: (await client.createPaymentPayload(2, req)).payload,
      } as PaymentPayload;
      const { payer, payTo } = stack.devnet.accounts;
      const before = [
        await stack.devnet.tokenBalance(payer.address),
        await stack.devnet.tokenBalance(payTo.address),
      ];
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (instances[i % 2] as OurFacilitator).settle(payment, req)),
      );
      expect(results.filter((r) => r.success)).toHaveLength(1);
      expect(results.filter((r) => r.errorReason === "duplicate_settlement")).toHaveLength(19);
      expect(before[0]! - (await stack.devnet.tokenBalance(payer.address))).toBe(PRICE);
      expect((await stack.devnet.tokenBalance(payTo.address)) - before[1]!).toBe(PRICE);
    } finally {
      for (const store of stores) await store.close?.();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
