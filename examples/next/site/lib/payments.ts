import { HTTPFacilitatorClient } from "@x402kit/core/server";
import { ExactEvmScheme } from "@x402kit/evm/exact/server";
import { type RouteConfig, x402ResourceServer } from "@x402kit/next";

// src/main.ts starts anvil and the facilitator and passes their coordinates in the environment.
function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: start the example with \`pnpm start\``);
  return value;
}

/** The resource server: our facilitator on the local chain, the EVM `exact` scheme. */
export const server = new x402ResourceServer(
  new HTTPFacilitatorClient({ url: env("X402_FACILITATOR_URL") }),
).register("eip155:*", new ExactEvmScheme());

/** 0.01 test USDC to `payTo`, on the local chain. */
export const accepts: RouteConfig["accepts"] = {
  scheme: "exact",
  network: env("X402_NETWORK") as `${string}:${string}`,
  payTo: env("X402_PAY_TO"),
  price: {
    amount: "10000",
    asset: env("X402_ASSET"),
    extra: { name: env("X402_ASSET_NAME"), version: env("X402_ASSET_VERSION") },
  },
};
