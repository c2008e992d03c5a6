import { getPaymentReceipt, wrapAxiosWithPayment, x402Client } from "@x402kit/axios";
import type { SettleResponse } from "@x402kit/core";
import { ExactEvmScheme } from "@x402kit/evm/exact/client";
import axios, { type AxiosResponse } from "axios";
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
 * The client side, all of it: a signer, an `x402Client` with spend controls, and an axios
 * instance whose 402 answers are paid. Then two ordinary requests, a GET and a POST.
 */
export async function payWithAxios(options: PayOptions): Promise<PaidCall[]> {
  const client = new x402Client()
    .register("eip155:*", new ExactEvmScheme(privateKeyToAccount(options.privateKey)))
    .setSpendControls({
      // The local test USDC is unknown to the built-in asset table, so allow it by address,
      // at most 0.05 per payment and 1.00 in total.
      allowedAssets: [
        { network: options.network, asset: options.asset, maxAmountPerPayment: "50000", maxTotal: "1000000" },
      ],
    });
  const api = wrapAxiosWithPayment(axios.create({ baseURL: options.apiUrl }), client);

  const weather = await api.get("/weather");
  const order = await api.post("/orders", { item: "umbrella", quantity: 1 });
  const describe = (request: string, response: AxiosResponse): PaidCall => ({
    request,
    status: response.status,
    body: response.data,
    receipt: getPaymentReceipt(response),
  });
  return [describe("GET /weather", weather), describe("POST /orders", order)];
}
