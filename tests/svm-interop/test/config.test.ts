import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { devAccount, SOLANA_DEVNET_NETWORK } from "@x402kit/devnet/solana";
import {
  buildFacilitatorFromConfig,
  loadFacilitatorConfig,
  networkEnvName,
  signerEnvName,
} from "@x402kit/facilitator";
import { describe, expect, it } from "vitest";

describe("the facilitator service's solana family, configured by file", () => {
  it("serves exact v2 and v1 with the file's fee payers; bad keys are reported by field", async () => {
    const dir = mkdtempSync(join(tmpdir(), "x402-svm-config-"));
    try {
      const [a, b] = await Promise.all([devAccount("facilitator"), devAccount("other")]);
      const file = join(dir, "facilitator.json");
      writeFileSync(
        file,
        JSON.stringify({
          networks: {
            [SOLANA_DEVNET_NETWORK]: { rpcUrl: "http://127.0.0.1:1", maxPriorityFeeMicroLamports: 1000 },
          },
          signers: {
            solana: { privateKeys: [a?.secretKeyBase58, JSON.stringify(Array.from(b?.secretKey ?? []))] },
          },
        }),
      );
      const built = await buildFacilitatorFromConfig(await loadFacilitatorConfig({ file, env: {} }));
      try {
        const supported = built.facilitator.getSupported();
        const kinds = supported.kinds.filter((k) => k.network.startsWith("solana"));
        expect(kinds.map((k) => [k.x402Version, k.network])).toEqual([
          [2, SOLANA_DEVNET_NETWORK],
          [1, "solana-devnet"],
        ]);
        expect([a?.address, b?.address]).toContain(kinds[0]?.extra?.feePayer);
        expect(Object.values(supported.signers).flat()).toEqual(
          expect.arrayContaining([a?.address, b?.address]),
        );
      } finally {
        await built.close();
      }

      writeFileSync(
        file,
        JSON.stringify({
          networks: { [SOLANA_DEVNET_NETWORK]: { rpcUrl: "http://127.0.0.1:1" } },
          signers: { solana: { privateKeys: ["not-a-key"] } },
        }),
      );
      await expect(
        loadFacilitatorConfig({ file, env: {} }).then((config) => buildFacilitatorFromConfig(config)),
      ).rejects.toThrow(/signers\.solana\.privateKeys\[0\]/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("takes the fee limits from the environment and refuses a confirmation wait beyond a settlement's hold", async () => {
    const account = await devAccount("facilitator");
    const env = (extra: Record<string, string>) => ({
      [networkEnvName(SOLANA_DEVNET_NETWORK, "rpcUrl")]: "http://127.0.0.1:1",
      [signerEnvName("solana", "privateKeys")]: String(account?.secretKeyBase58),
      ...extra,
    });
    const built = await buildFacilitatorFromConfig(
      await loadFacilitatorConfig({
        env: env({
          [networkEnvName(SOLANA_DEVNET_NETWORK, "maxComputeUnits")]: "50000",
          [networkEnvName(SOLANA_DEVNET_NETWORK, "maxRequiredSignatures")]: "3",
        }),
      }),
    );
    await built.close();
    await expect(
      loadFacilitatorConfig({
        env: env({ [networkEnvName(SOLANA_DEVNET_NETWORK, "confirmTimeoutMs")]: "100000" }),
      }).then((config) => buildFacilitatorFromConfig(config)),
    ).rejects.toThrow(/CONFIRM_TIMEOUT_MS: must be 1000 to 80000 ms/);
    await expect(
      loadFacilitatorConfig({
        env: env({ [networkEnvName(SOLANA_DEVNET_NETWORK, "maxRequiredSignatures")]: "0" }),
      }).then((config) => buildFacilitatorFromConfig(config)),
    ).rejects.toThrow(/MAX_REQUIRED_SIGNATURES: must be/);
  });
});
