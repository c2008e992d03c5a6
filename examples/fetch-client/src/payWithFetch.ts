import { ExactEvmScheme } from "@x402kit/evm/exact/client";
import { localSpendControls, type PaidCall, type PayOptions } from "@x402kit/example-shared";
import { getPaymentReceipt, wrapFetchWithPayment, x402Client } from "@x402kit/fetch";
import { privateKeyToAccount } from "viem/accounts";

/**
 * The client side, all of it: a signer, an `x402Client` with spend controls (only the local
 * test USDC), and `fetch` wrapped so that 402 answers are paid. Then two ordinary requests.
 */
export async function payWithFetch({ apiUrl, privateKey, network, asset }: PayOptions): Promise<PaidCall[]> {
  const client = new x402Client()
    .register("eip155:*", new ExactEvmScheme(privateKeyToAccount(privateKey)))
    .setSpendControls(localSpendControls(network, asset));
  const fetchWithPayment = wrapFetchWithPayment(fetch, client);

  const weather = await fetchWithPayment(`${apiUrl}/weather`);
  const order = await fetchWithPayment(`${apiUrl}/orders`, {
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
