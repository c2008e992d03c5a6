import { Account, type Ed25519Account } from "@aptos-labs/ts-sdk";
import { MemoryStore } from "@x402kit/core/storage";
import { type AptosDevnet, startAptosDevnet } from "@x402kit/devnet/aptos";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exactAptosFacilitatorPlugin as plugin } from "../src/exact/facilitator/index.js";

const key = (Account.generate() as Ed25519Account).privateKey.toString();
let devnet: AptosDevnet;
beforeAll(async () => {
  devnet = await startAptosDevnet({ accounts: 0 });
});
afterAll(async () => devnet?.stop());

const configFor = (networks: Record<string, Record<string, unknown>>) => {
  const parsed = plugin.parse({ networks, signer: { privateKeys: [key] } });
  if (!parsed.ok) throw new Error("config refused");
  return parsed.config;
};

describe("exactAptosFacilitatorPlugin.create", () => {
  it("builds one scheme per network, advertising the fee payer unless sponsorship is off", async () => {
    const [sponsored, plain] = await plugin.create(
      configFor({
        [devnet.network]: { nodeUrl: devnet.url },
        // The same node under a second registration key is impossible (one chain id), so the
        // unsponsored variant is checked on a second stand-in below.
      }),
      { store: new MemoryStore() },
    );
    expect(plain).toBeUndefined();
    expect(sponsored?.networks).toEqual([devnet.network]);
    expect(sponsored?.scheme.getExtra(devnet.network)).toEqual({
      feePayer: sponsored?.scheme.getSigners(devnet.network)[0],
    });
    expect(sponsored?.redact).toEqual([devnet.url]);
    const other = await startAptosDevnet({ accounts: 0, chainId: 5 });
    try {
      const [unsponsored] = await plugin.create(
        configFor({ "aptos:5": { nodeUrl: other.url, sponsorTransactions: false } }),
        {
          store: new MemoryStore(),
        },
      );
      expect(unsponsored?.scheme.getExtra("aptos:5")).toBeUndefined();
    } finally {
      await other.stop();
    }
  });

  it("refuses a node on another chain, or one that does not answer, at start-up", async () => {
    await expect(
      plugin.create(configFor({ "aptos:2": { nodeUrl: devnet.url } }), { store: new MemoryStore() }),
    ).rejects.toMatchObject({
      code: "invalid_facilitator_config",
      message: expect.stringMatching(/networks\.aptos:2\.nodeUrl: .* is on chain id 4, not 2/),
    });
    await expect(
      plugin.create(configFor({ "aptos:4": { nodeUrl: "http://127.0.0.1:9/v1" } }), {
        store: new MemoryStore(),
      }),
    ).rejects.toMatchObject({
      code: "invalid_facilitator_config",
      message: expect.stringMatching(/does not answer/),
    });
  });
});
