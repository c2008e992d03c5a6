import type {
  PaymentPayload,
  PaymentRequirements,
  SchemeFacilitator,
  SettleResponse,
  VerifyResponse,
} from "@x402kit/core";

export const NETWORK = "eip155:31337";
export const SIGNER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
export const PAYER = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";

export const requirements: PaymentRequirements = {
  scheme: "exact",
  network: NETWORK,
  amount: "1000",
  asset: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
  payTo: "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
  maxTimeoutSeconds: 60,
  extra: { name: "USD Coin", version: "2" },
};

export const paymentPayload: PaymentPayload = {
  x402Version: 2,
  accepted: requirements,
  payload: { signature: "0xabcd", authorization: { from: PAYER } },
};

/** A well-formed `/verify` or `/settle` body. */
export function validBody(): Record<string, unknown> {
  return structuredClone({ x402Version: 2, paymentPayload, paymentRequirements: requirements });
}

/** A scheme whose behaviour each test sets; counts its calls. */
export class FakeScheme implements SchemeFacilitator {
  readonly scheme = "exact";
  readonly caipFamily = "eip155:*";
  verifyCalls = 0;
  settleCalls = 0;
  verifyImpl: () => Promise<VerifyResponse> = async () => ({ isValid: true, payer: PAYER });
  settleImpl: () => Promise<SettleResponse> = async () => ({
    success: true,
    transaction: `0x${"11".repeat(32)}`,
    network: NETWORK,
    payer: PAYER,
  });

  getExtra(): Record<string, unknown> | undefined {
    return undefined;
  }
  getSigners(): string[] {
    return [SIGNER];
  }
  verify(): Promise<VerifyResponse> {
    this.verifyCalls++;
    return this.verifyImpl();
  }
  settle(): Promise<SettleResponse> {
    this.settleCalls++;
    return this.settleImpl();
  }
}

/** fetch that returns status, headers and the parsed JSON body (or raw text). */
export async function call(
  url: string,
  init: RequestInit = {},
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON fields
): Promise<{ status: number; headers: Headers; body: any; text: string }> {
  const response = await fetch(url, init);
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, body, text };
}

/** POST a JSON value (or a raw string) to `url`. */
export function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  return call(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}
