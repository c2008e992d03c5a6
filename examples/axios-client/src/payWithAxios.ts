import { getPaymentReceipt, wrapAxiosWithPayment, x402Client } from "@x402kit/axios";
import { ExactEvmScheme } from "@x402kit/evm/exact/client";
import { localSpendControls, type PaidCall, type PayOptions } from "@x402kit/example-shared";
import axios, { type AxiosResponse } from "axios";
import { privateKeyToAccount } from "viem/accounts";

/**
 * The client side, all of it: a signer, an `x402Client` with spend controls (only the local
 * test USDC), and an axios instance whose 402 answers are paid. Then two ordinary requests.
 */
export async function payWithAxios({ apiUrl, privateKey, network, asset }: PayOptions): Promise<PaidCall[]> {
  const client = new x402Client()
    .register("eip155:*", new ExactEvmScheme(privateKeyToAccount(privateKey)))
    .setSpendControls(localSpendControls(network, asset));
  const api = wrapAxiosWithPayment(axios.create({ baseURL: apiUrl }), client);

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
