import type { PaymentRequirements } from "@x402kit/core";
import { x402Client } from "@x402kit/core/client";
import { x402Facilitator } from "@x402kit/core/facilitator";
import { registerExactEvmScheme } from "@x402kit/evm/exact/client";
import { registerExactEvmScheme as registerExactEvmFacilitator } from "@x402kit/evm/exact/facilitator";
import { ExactEvmSchemeV1 } from "@x402kit/evm/exact/v1/client";
import {
  type ExactEvmSchemeV1 as ExactEvmSchemeV1Facilitator,
  registerExactEvmSchemeV1,
} from "@x402kit/evm/exact/v1/facilitator";
import {
  EVM_NETWORK_CHAIN_ID_MAP,
  evmNetworkFromV1,
  evmNetworkNameV1,
  evmNetworksV1,
  getEvmChainIdV1,
  NETWORKS,
  registerEvmNetworkV1,
} from "@x402kit/evm/v1";
import { privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { fakeSigner } from "./fakeSigner.js";

const account = privateKeyToAccount("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
const asset = "0x036CbD53842c5426634e7929541eC2318f3dCF7e";

function v1(network: string): PaymentRequirements {
  return {
    scheme: "exact",
    network,
    maxAmountRequired: "10000",
    resource: "https://example.test/paid",
    description: "",
    mimeType: "",
    payTo: "0x209693Bc6afc0C5328bA36FaF03C514EF312287C",
    maxTimeoutSeconds: 60,
    asset,
    extra: { name: "USDC", version: "2" },
  } as unknown as PaymentRequirements;
}

describe("v1 EVM network names", () => {
  it("maps the official names both ways", () => {
    expect(getEvmChainIdV1("base-sepolia")).toBe(84532);
    expect(EVM_NETWORK_CHAIN_ID_MAP.base).toBe(8453);
    expect(NETWORKS).toContain("polygon-amoy");
    expect(evmNetworkNameV1("eip155:8453")).toBe("base");
    expect(evmNetworkNameV1(11155111)).toBe("sepolia");
    expect(evmNetworkFromV1("base")).toBe("eip155:8453");
  });

  it("throws for unknown names, as the official does, until a name is added", () => {
    expect(() => getEvmChainIdV1("unit-test-chain")).toThrow(/Unsupported v1 network/);
    expect(evmNetworkNameV1("eip155:919191")).toBeUndefined();
    registerEvmNetworkV1("unit-test-chain", 919191);
    expect(getEvmChainIdV1("unit-test-chain")).toBe(919191);
    expect(evmNetworkNameV1("eip155:919191")).toBe("unit-test-chain");
    expect(evmNetworksV1()).toContain("unit-test-chain");
  });

  it("refuses to move an official name to another chain, and malformed names", () => {
    expect(() => registerEvmNetworkV1("base", 1)).toThrow(/already chain 8453/);
    expect(() => registerEvmNetworkV1("eip155:1", 1)).toThrow();
    expect(() => registerEvmNetworkV1("x", 0)).toThrow();
    expect(() => registerEvmNetworkV1("toString", 1.5)).toThrow();
    expect(evmNetworkFromV1("toString")).toBeUndefined();
  });
});

describe("ExactEvmSchemeV1 (client)", () => {
  it("signs the v2 EIP-3009 payload in the v1 envelope, for maxAmountRequired", async () => {
    const client = new x402Client({ spendControls: false }).registerV1(
      "base-sepolia",
      new ExactEvmSchemeV1(account),
    );
    const payload = await client.createPaymentPayload({
      x402Version: 1,
      accepts: [v1("base-sepolia") as never],
    });
    expect(payload).toMatchObject({
      x402Version: 1,
      scheme: "exact",
      network: "base-sepolia",
      payload: { authorization: { from: account.address, value: "10000", validAfter: "0" } },
    });
    expect(Object.keys(payload).sort()).toEqual(["network", "payload", "scheme", "x402Version"]);
  });

  it("refuses an unknown v1 name with invalid_network", async () => {
    await expect(new ExactEvmSchemeV1(account).createPaymentPayload(1, v1("nowhere"))).rejects.toMatchObject({
      code: "invalid_network",
    });
  });

  it("knows the default stablecoin of a v1 network (spend controls price it in USD)", () => {
    expect(new ExactEvmSchemeV1(account).findDefaultAsset(asset, "base-sepolia")?.symbol).toBe("USDC");
  });
});

describe("registerExactEvmScheme and v1", () => {
  it("the client helper also pays v1 servers on every v1 name, as the official one does", async () => {
    const client = registerExactEvmScheme(new x402Client({ spendControls: false }), { signer: account });
    const payload = await client.createPaymentPayload({ x402Version: 1, accepts: [v1("polygon") as never] });
    expect(payload).toMatchObject({ x402Version: 1, network: "polygon" });
  });

  it("the facilitator helper registers the v1 name of a served chain that has one", () => {
    const chain = {
      chainId: 84532,
      assetCode: true,
      nonceUsed: false,
      balance: 0n,
      tokenName: "USDC",
      tokenVersion: "2",
      receipt: async () => ({ status: "success" as const, logs: [] }),
      sent: [],
    };
    const engine = registerExactEvmFacilitator(new x402Facilitator(), { signer: fakeSigner(chain) });
    const kinds = engine.getSupported().kinds.map((k) => `${k.x402Version}:${k.network}`);
    expect(kinds).toEqual(["2:eip155:84532", "1:base-sepolia"]);
    const local = registerExactEvmFacilitator(new x402Facilitator(), {
      signer: fakeSigner({ ...chain, chainId: 31337 }),
    });
    expect(local.getSupported().kinds).toHaveLength(1);
  });

  it("registerExactEvmSchemeV1 with a signer shares the v2 instance (one ledger) registered for it", () => {
    const signer = fakeSigner({
      chainId: 84532,
      assetCode: true,
      nonceUsed: false,
      balance: 0n,
      tokenName: "USDC",
      tokenVersion: "2",
      receipt: async () => ({ status: "success" as const, logs: [] }),
      sent: [],
    });
    // A recording test double of the registry: which scheme objects are registered where.
    const registered: Array<{ version: number; scheme: unknown }> = [];
    const registry = {
      register: (_n: string | string[], scheme: unknown) => registered.push({ version: 2, scheme }),
      registerV1: (_n: string | string[], scheme: unknown) => registered.push({ version: 1, scheme }),
    };
    registerExactEvmFacilitator(registry as never, { signer });
    registerExactEvmSchemeV1(registry as never, { signer, networks: "base-sepolia-copy" });
    const v2 = registered.find((r) => r.version === 2)?.scheme;
    const twins = registered
      .filter((r) => r.version === 1)
      .map((r) => (r.scheme as ExactEvmSchemeV1Facilitator).v2);
    expect(twins).toHaveLength(2);
    for (const twin of twins) expect(twin).toBe(v2);
  });
});
