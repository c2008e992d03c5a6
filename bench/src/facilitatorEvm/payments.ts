import type { PaymentPayload, PaymentRequirements } from "@x402kit/core";
import { transferWithAuthorizationTypedData } from "@x402kit/evm";
import { ExactEvmScheme as ExactEvmClientScheme } from "@x402kit/evm/exact/client";
import { privateKeyToAccount } from "viem/accounts";

/**
 * A pool of distinct signed EIP-3009 payments for `requirements`, `perPayer` from each key,
 * ordered round-robin over the payers (concurrent verifications then come from different
 * payers, as they do in production).
 */
export async function signPaymentPool(
  payerKeys: readonly `0x${string}`[],
  requirements: PaymentRequirements,
  chainId: number,
  perPayer: number,
): Promise<PaymentPayload[]> {
  const accounts = payerKeys.map((key) => privateKeyToAccount(key));
  const extra = requirements.extra as { name: string; version: string };
  const validBefore = BigInt(Math.floor(Date.now() / 1000) + 3600);
  const pool: PaymentPayload[] = [];
  for (let round = 0; round < perPayer; round++)
    for (const account of accounts) {
      const nonce = `0x${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("hex")}` as const;
      const message = {
        from: account.address,
        to: requirements.payTo as `0x${string}`,
        value: BigInt(requirements.amount),
        validAfter: 0n,
        validBefore,
        nonce,
      };
      const domain = { ...extra, chainId, verifyingContract: requirements.asset as `0x${string}` };
      const signature = await account.signTypedData(transferWithAuthorizationTypedData(domain, message));
      pool.push({
        x402Version: 2,
        accepted: requirements,
        resource: { url: "http://bench.test/paid", description: "", mimeType: "application/json" },
        payload: {
          signature,
          authorization: {
            from: account.address,
            to: message.to,
            value: String(message.value),
            validAfter: "0",
            validBefore: String(validBefore),
            nonce,
          },
        },
      } as PaymentPayload);
    }
  return pool;
}

const RESOURCE = { url: "http://bench.test/paid", description: "", mimeType: "application/json" };

/**
 * A pool of distinct Permit2 payments (`extra.assetTransferMethod: "permit2"`), signed by our
 * client, ordered round-robin over the payers. The payers must have approved Permit2.
 */
export async function signPermit2PaymentPool(
  payerKeys: readonly `0x${string}`[],
  requirements: PaymentRequirements,
  perPayer: number,
): Promise<PaymentPayload[]> {
  const clients = payerKeys.map((key) => new ExactEvmClientScheme(privateKeyToAccount(key)));
  const pool: PaymentPayload[] = [];
  for (let round = 0; round < perPayer; round++)
    for (const client of clients) {
      const { x402Version, payload } = await client.createPaymentPayload(2, requirements, {});
      pool.push({ x402Version, accepted: requirements, resource: RESOURCE, payload } as PaymentPayload);
    }
  return pool;
}
