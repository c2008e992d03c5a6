import { MemoryStore } from "@x402kit/core/storage";
import { type Devnet, startDevnet } from "@x402kit/devnet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRpcSigner, type ExactEvmScheme } from "../src/exact/facilitator/index.js";
import { evmNetworkAdditions } from "../src/exact/facilitator/pluginSchemes.js";

/** What a network entry's extras build, on anvil: the options they must keep. */
let devnet: Devnet;
beforeAll(async () => {
  devnet = await startDevnet();
});
afterAll(async () => {
  await devnet?.stop();
});

async function additions(extras: Record<string, unknown>, parts: Record<string, unknown>) {
  const entry = { network: devnet.network, chainId: devnet.chainId, rpcUrl: devnet.rpcUrl, ...extras };
  const pooled = await createRpcSigner({
    chainId: devnet.chainId,
    rpcUrl: devnet.rpcUrl,
    privateKeys: [devnet.accounts.facilitator.privateKey],
  });
  return evmNetworkAdditions(entry, {
    exact: {} as ExactEvmScheme,
    keySigners: [pooled],
    pooled,
    store: new MemoryStore(),
    ...parts,
  });
}

describe("evmNetworkAdditions", () => {
  it("gives the separate sponsor key the network's gas bounds", async () => {
    const added = await additions(
      { erc20ApprovalGasSponsoring: true, v1NetworkName: "" },
      { sponsorKey: devnet.allAccounts[6]?.privateKey, gasBounds: { maxFeePerGasWei: 1n } },
    );
    // anvil's base fee is far above 1 wei: the funder must refuse to sign.
    await expect(
      added.sponsor?.sendTransaction({ to: devnet.accounts.payTo.address, data: "0x" }),
    ).rejects.toMatchObject({ name: "GasPriceAboveCapError" });
  });

  it("gives upto the network's guard and record TTLs", async () => {
    const added = await additions(
      { upto: true, v1NetworkName: "" },
      { ttls: { guardTtlMs: 1_234, recordTtlMs: 5_678 } },
    );
    const upto = added.registrations[0]?.scheme as unknown as {
      ledger: { options: { guardTtlMs: number; recordTtlMs: number } };
    };
    expect(upto.ledger.options).toMatchObject({ guardTtlMs: 1_234, recordTtlMs: 5_678 });
  });
});
