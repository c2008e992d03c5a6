import { ExactEvmScheme } from "@x402/evm/exact/client";
import { x402Client as OfficialClient, x402HTTPClient as OfficialHttpClient } from "@x402/fetch";
import { ExactEvmScheme as OurExactEvmScheme } from "@x402kit/evm/exact/client";
import { x402Client, x402HTTPClient } from "@x402kit/fetch";
import { privateKeyToAccount } from "viem/accounts";
import { PAYER_KEY } from "./config.js";

export type Side = "ours" | "official";
export type HeaderReader = (name: string) => string | null | undefined;

/** What each SDK's own client needs to turn a 402 into payment headers. */
interface PaymentSigner {
  headersFor(getHeader: HeaderReader): Promise<() => Promise<Record<string, string>>>;
}

const account = privateKeyToAccount(PAYER_KEY);

const signers: Record<Side, PaymentSigner> = {
  ours: {
    async headersFor(getHeader) {
      const http = new x402HTTPClient(new x402Client().register("eip155:*", new OurExactEvmScheme(account)));
      const required = http.getPaymentRequiredResponse(getHeader);
      return () => http.createPaymentHeaders(required);
    },
  },
  official: {
    async headersFor(getHeader) {
      const client = new OfficialClient().register("eip155:*", new ExactEvmScheme(account));
      const http = new OfficialHttpClient(client);
      const required = http.getPaymentRequiredResponse(getHeader);
      return async () => http.encodePaymentSignatureHeader(await http.createPaymentPayload(required));
    },
  },
};

/**
 * Ask the server for its 402 and let that side's own client sign `count` distinct payloads
 * for it (fresh nonce each), so `accepted` is exactly what the server built. Distinct
 * payloads matter: our server refuses a payload that is already in flight.
 */
export async function presignPayments(
  side: Side,
  url: string,
  count: number,
): Promise<Record<string, string>[]> {
  const response = await fetch(url);
  await response.arrayBuffer();
  if (response.status !== 402) throw new Error(`${side}: expected 402 from ${url}, got ${response.status}`);
  return signPool(side, (name) => response.headers.get(name), count);
}

/** `side`'s own client signs `count` distinct payloads for the 402 whose headers `getHeader` reads. */
export async function signPool(
  side: Side,
  getHeader: HeaderReader,
  count: number,
): Promise<Record<string, string>[]> {
  const sign = await signers[side].headersFor(getHeader);
  const pool: Record<string, string>[] = [];
  for (let i = 0; i < count; i++) pool.push(await sign());
  return pool;
}

/** One paid request by hand: it must come back 200 with a successful PAYMENT-RESPONSE. */
export async function checkPaidRequest(side: Side, url: string, headers: Record<string, string>) {
  const response = await fetch(url, { headers });
  const body = await response.text();
  const receipt = response.headers.get("payment-response");
  const settled = receipt ? JSON.parse(Buffer.from(receipt, "base64").toString()).success === true : false;
  if (response.status !== 200 || !settled)
    throw new Error(`${side}: paid request answered ${response.status} (receipt: ${receipt}): ${body}`);
}
