// Shared terms of the benchmark: both servers sell the same route at the same price, and
// both clients pay it from the same account.

/** Base Sepolia: its USDC is a default asset of both SDKs, so neither client needs an allow-list. */
export const NETWORK = "eip155:84532" as const;
export const ASSET = "0x036CbD53842c5426634e7929541eC2318f3dCF7e";
/** The token's EIP-712 domain, which the exact scheme needs in `extra`. */
export const ASSET_EXTRA = { name: "USDC", version: "2" };
/** 0.001 USDC: far below both clients' default $1 cap. */
export const AMOUNT = "1000";
export const PAY_TO = "0x70997970C51812dc3A010C65d73D3a0cd6E5E4F3";
/** A throwaway key: the stub facilitator never touches a chain. */
export const PAYER_KEY = `0x${"11".repeat(32)}` as const;

export const PAID_PATH = "/paid";
/** An unpriced route on the same app: express + the middleware's route check only. */
export const FREE_PATH = "/free";
export const HANDLER_BODY = { ok: true, message: "paid content" };

export const PRICE = { amount: AMOUNT, asset: ASSET, extra: ASSET_EXTRA };

/** The one priced route, as both SDKs' route tables spell it. */
export const ROUTES = {
  [`GET ${PAID_PATH}`]: { accepts: { scheme: "exact", network: NETWORK, payTo: PAY_TO, price: PRICE } },
};

/**
 * Our HTTP server's options in the benchmark. The pools of presigned payments are reused (a
 * real payment is used once): our server keeps a settled payment's claim until its TTL, so a
 * reused payload would be refused as a replay (the official keeps nothing). A 1 ms TTL lets each
 * payload come round again (a 256-payload pool takes several ms to cycle, even in the pipeline-only case) while every request still
 * pays for the guard's work.
 */
export const OUR_HTTP_OPTIONS = { inFlightTtlSeconds: 0.001 };
