import { Account, type Ed25519Account } from "@aptos-labs/ts-sdk";
import { exactAptosFacilitatorPlugin as plugin } from "@x402kit/aptos/exact/facilitator";
import { loadFacilitatorConfig } from "@x402kit/facilitator";
import { describe, expect, it } from "vitest";

const key = (Account.generate() as Ed25519Account).privateKey.toString();

describe("exactAptosFacilitatorPlugin", () => {
  it("parses networks (public ones default their node URL) and keys", () => {
    const parsed = plugin.parse({
      networks: { "aptos:2": {}, "aptos:4": { nodeUrl: "http://127.0.0.1:9/v1", maxGasUnitPrice: 150 } },
      signer: { privateKeys: [key] },
    });
    expect(parsed).toEqual({
      ok: true,
      config: {
        privateKeys: [key],
        networks: [
          { network: "aptos:2", nodeUrl: "https://api.testnet.aptoslabs.com/v1" },
          { network: "aptos:4", nodeUrl: "http://127.0.0.1:9/v1", maxGasUnitPrice: 150 },
        ],
      },
    });
  });

  it("reports every problem, never a key's value", () => {
    const parsed = plugin.parse({
      networks: { "aptos:0": {}, "aptos:77": {} },
      signer: { privateKeys: ["0x1234"] },
    });
    expect(parsed.ok).toBe(false);
    const errors = parsed.ok ? [] : parsed.errors;
    expect(errors.map((e) => e.field)).toEqual([
      "signers.aptos.privateKeys[0]",
      "networks.aptos:0",
      "networks.aptos:77.nodeUrl",
    ]);
    expect(JSON.stringify(errors)).not.toContain("0x1234");
  });

  it("reads its options from the environment through the service's naming", async () => {
    const config = await loadFacilitatorConfig({
      env: {
        X402_NETWORKS_APTOS_4_NODE_URL: "http://127.0.0.1:9/v1",
        X402_NETWORKS_APTOS_4_MAX_GAS_UNIT_PRICE: "150",
        X402_NETWORKS_APTOS_4_SPONSOR_TRANSACTIONS: "false",
        X402_SIGNERS_APTOS_PRIVATE_KEYS: key,
      },
    });
    expect(config.networks["aptos:4"]).toEqual({
      nodeUrl: "http://127.0.0.1:9/v1",
      maxGasUnitPrice: 150,
      sponsorTransactions: false,
    });
    expect(config.signers.aptos).toEqual({ privateKeys: [key] });
  });
});
