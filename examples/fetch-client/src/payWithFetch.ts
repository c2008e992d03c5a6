import type { SettleResponse } from "@x402kit/core";
import { ExactEvmScheme } from "@x402kit/evm/exact/client";
import { getPaymentReceipt, wrapFetchWithPayment, x402Client } from "@x402kit/fetch";
import { privateKeyToAccount } from "viem/accounts";

/** Where to pay, and with what. */
export interface PayOptions {
  apiUrl: string;
  privateKey: `0x${string}`;
  /** The token the client may spend, and on which network (spend controls refuse others). */
  network: `eip155:${number}`;
  asset: `0x${string}`;
}

/** One paid call: its status, body and settlement receipt. */
export interface PaidCall {
  request: string;
  status: number;
  body: unknown;
  receipt: SettleResponse | undefined;
}

/**
 * The client side, all of it: a signer, an `x402Client` with spend controls, and `fetch`
 * wrapped so that 402 answers are paid. Then two ordinary requests, a GET and a POST.
 */
export async function payWithFetch(options: PayOptions): Promise<PaidCall[]> {
  const client = new x402Client()
    .register("eip155:*", new ExactEvmScheme(privateKeyToAccount(options.privateKey)))
    .setSpendControls({
      // The local test USDC is unknown to the built-in asset table, so allow it by address,
      // at most 0.05 per payment and 1.00 in total.
      allowedAssets: [
        { network: options.network, asset: options.asset, maxAmountPerPayment: "50000", maxTotal: "1000000" },
      ],
    });
  const fetchWithPayment = wrapFetchWithPayment(fetch, client);

  const weather = await fetchWithPayment(`${options.apiUrl}/weather`);
  const order = await fetchWithPayment(`${options.apiUrl}/orders`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ item: "umbrella", quantity: 1 }),
  });
  return [
    {
      request: "GET /weather",
      status: weather.status,
      body: await weather.json(),
      receipt: getPaymentReceipt(weather),
    },
    {
      request: "POST /orders",
      status: order.status,
      body: await order.json(),
      receipt: getPaymentReceipt(order),
    },
  ];
}
