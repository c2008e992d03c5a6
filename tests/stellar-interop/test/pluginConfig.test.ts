import { Keypair, Networks } from "@stellar/stellar-sdk";
import { buildFacilitatorFromConfig, loadFacilitatorConfig } from "@x402kit/facilitator";
import { describe, expect, it } from "vitest";

// The facilitator service finds the Stellar plugin by itself (KNOWN_PLUGINS) and reads its
// options from the environment like EVM's.
describe("Stellar through the facilitator's plugin seam", () => {
  it("serves a standalone network configured only by environment variables", async () => {
    const secret = Keypair.random();
    const env = {
      X402_NETWORKS_STELLAR_LOCALNET_RPC_URL: "http://127.0.0.1:8000/soroban/rpc",
      X402_NETWORKS_STELLAR_LOCALNET_NETWORK_PASSPHRASE: Networks.STANDALONE,
      X402_NETWORKS_STELLAR_LOCALNET_MAX_TRANSACTION_FEE_STROOPS: "40000",
      X402_SIGNERS_STELLAR_SECRET_KEYS: secret.secret(),
    };
    const config = await loadFacilitatorConfig({ env });
    const built = await buildFacilitatorFromConfig(config);
    try {
      const supported = await built.facilitator.getSupported();
      expect(supported.kinds).toContainEqual({
        x402Version: 2,
        scheme: "exact",
        network: "stellar:localnet",
        extra: { areFeesSponsored: true },
      });
      expect(supported.signers["stellar:*"]).toEqual([secret.publicKey()]);
    } finally {
      await built.close();
    }
  });

  it("reports a missing passphrase, a missing RPC and a bad key", async () => {
    await expect(
      loadFacilitatorConfig({
        env: {
          X402_NETWORKS_STELLAR_OTHERNET_RPC_URL: "http://127.0.0.1:8000",
          X402_SIGNERS_STELLAR_SECRET_KEYS: Keypair.random().secret(),
        },
      }).then(buildFacilitatorFromConfig),
    ).rejects.toThrow(/networkPassphrase/);
    await expect(
      buildFacilitatorFromConfig({
        networks: { "stellar:pubnet": {} },
        signers: { stellar: { secretKeys: [Keypair.random().secret()] } },
        store: "memory",
      } as never),
    ).rejects.toThrow(/rpcUrl/);
    await expect(
      buildFacilitatorFromConfig({
        networks: { "stellar:testnet": {} },
        signers: { stellar: { secretKeys: ["SNOTAKEY"] } },
        store: "memory",
      } as never),
    ).rejects.toThrow(/secret key/);
  });
});
