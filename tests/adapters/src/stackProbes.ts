import { x402Client as OfficialClient } from "@x402/core/client";
import { registerExactEvmScheme as registerOfficialEvmClient } from "@x402/evm/exact/client";
import { wrapFetchWithPayment as officialWrapFetch } from "@x402/fetch";
import { x402Client, x402HTTPClient } from "@x402kit/core/client";
import { ExactEvmScheme } from "@x402kit/evm/exact/client";
import { wrapFetchWithPayment } from "@x402kit/fetch";
import { privateKeyToAccount } from "viem/accounts";
import type { ConformanceStack } from "./stack.js";

/** A response read chunk by chunk, with the arrival time of each chunk. */
export interface TimedResponse {
  status: number;
  headers: Headers;
  body: string;
  /** `performance.now()` when the first body byte arrived (undefined: empty body). */
  firstByteAt: number | undefined;
  /** `performance.now()` when the body ended. */
  endAt: number;
}

/** Read a response's body, timing its first byte and its end. */
export async function readTimed(response: Response): Promise<TimedResponse> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let body = "";
  let firstByteAt: number | undefined;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (value.length > 0) firstByteAt ??= performance.now();
    body += decoder.decode(value, { stream: true });
  }
  return { status: response.status, headers: response.headers, body, firstByteAt, endAt: performance.now() };
}

/** Our fetch client paying from the devnet's payer. */
export function ourPayingFetch(stack: ConformanceStack): ReturnType<typeof wrapFetchWithPayment> {
  return wrapFetchWithPayment(fetch, ourClient(stack));
}

/**
 * Ask for `url` unpaid (it must answer 402), then sign what the 402 asks with our client:
 * the headers of the paid retry, sent by hand so every answer of the retry can be inspected.
 */
export async function paymentHeadersFor(
  stack: ConformanceStack,
  url: string,
  init: RequestInit = {},
): Promise<Record<string, string>> {
  const unpaid = await fetch(url, init);
  await unpaid.body?.cancel();
  if (unpaid.status !== 402) throw new Error(`expected 402 from ${url}, got ${unpaid.status}`);
  const client = new x402HTTPClient(ourClient(stack));
  return client.createPaymentHeaders(client.getPaymentRequiredResponse((name) => unpaid.headers.get(name)));
}

function ourClient(stack: ConformanceStack): x402Client {
  return new x402Client({
    spendControls: {
      allowedAssets: [
        { network: stack.devnet.network, asset: stack.devnet.usdc.address, maxAmountPerPayment: "1000000" },
      ],
    },
  }).register("eip155:*", new ExactEvmScheme(privateKeyToAccount(stack.devnet.accounts.payer.privateKey)));
}

/** The OFFICIAL `@x402/fetch` + `@x402/evm` client paying from the devnet's payer. */
export function officialPayingFetch(stack: ConformanceStack): ReturnType<typeof officialWrapFetch> {
  const client = new OfficialClient();
  registerOfficialEvmClient(client, { signer: privateKeyToAccount(stack.devnet.accounts.payer.privateKey) });
  client.setSpendControls({
    allowedAssets: [
      { network: stack.devnet.network, asset: stack.devnet.usdc.address, maxAmountPerPayment: "1000000" },
    ],
  });
  return officialWrapFetch(fetch, client);
}

/** USDC balances of the payer and both payees. */
export async function balances(
  stack: ConformanceStack,
): Promise<{ payer: bigint; payTo: bigint; other: bigint }> {
  const { payer, payTo, other } = stack.devnet.accounts;
  const [a, b, c] = await Promise.all(
    [payer, payTo, other].map((account) => stack.devnet.balanceOf(account.address)),
  );
  return { payer: a as bigint, payTo: b as bigint, other: c as bigint };
}

/** `after - before` per account. */
export function deltas(
  before: Awaited<ReturnType<typeof balances>>,
  after: Awaited<ReturnType<typeof balances>>,
): { payer: bigint; payTo: bigint; other: bigint } {
  return {
    payer: after.payer - before.payer,
    payTo: after.payTo - before.payTo,
    other: after.other - before.other,
  };
}
