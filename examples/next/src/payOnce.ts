import { x402Client } from "@x402kit/core/client";
import { ExactEvmScheme } from "@x402kit/evm/exact/client";
import { getPaymentReceipt, wrapFetchWithPayment } from "@x402kit/fetch";
import { privateKeyToAccount } from "viem/accounts";
import type { LocalStack } from "./localStack.js";

/** One paid call: status, body, receipt. */
export interface PaidCall {
  path: string;
  status: number;
  body: string;
  receipt: ReturnType<typeof getPaymentReceipt>;
}

/** Pay each paid route once with our fetch client, from anvil's payer. */
export async function payOnce(stack: LocalStack): Promise<PaidCall[]> {
  const { devnet } = stack;
  const client = new x402Client({
    spendControls: {
      allowedAssets: [{ network: devnet.network, asset: devnet.usdc.address, maxAmountPerPayment: "100000" }],
    },
  }).register("eip155:*", new ExactEvmScheme(privateKeyToAccount(devnet.accounts.payer.privateKey)));
  const pay = wrapFetchWithPayment(fetch, client);
  const calls: PaidCall[] = [];
  for (const path of ["/api/weather", "/api/ticker", "/api/report"]) {
    const response = await pay(stack.apiUrl + path);
    calls.push({
      path,
      status: response.status,
      body: await response.text(),
      receipt: getPaymentReceipt(response),
    });
  }
  return calls;
}
