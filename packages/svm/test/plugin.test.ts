import { MemoryStore } from "@x402kit/core/storage";
import { describe, expect, it } from "vitest";
import { ExactSvmScheme, exactSvmFacilitatorPlugin } from "../src/exact/facilitator/index.js";

const devnet = "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1";
const secret = "5D3amoQfD7tQsQZhGKA4RwzoEs6esqzG1dLLSiktGecdztipb8HNhpHCUzvQrwEgv8zMU7bcMrARRCEjcc7ZyGVu";

describe("the solana facilitator plugin", () => {
  it("parses base58 and JSON-array keys for a cluster network", () => {
    const parsed = exactSvmFacilitatorPlugin.parse({
      networks: { [devnet]: { rpcUrl: "http://127.0.0.1:8899" } },
      signer: { privateKeys: [secret, JSON.stringify(Array.from({ length: 64 }, (_, i) => i))] },
    });
    expect(parsed.ok).toBe(true);
    if (parsed.ok) {
      expect(parsed.config.secretKeys.map((k) => k.length)).toEqual([64, 64]);
      expect(parsed.config.networks).toEqual([{ network: devnet, rpcUrl: "http://127.0.0.1:8899" }]);
    }
  });

  it("reports every bad key and network together, without echoing secrets", () => {
    const parsed = exactSvmFacilitatorPlugin.parse({
      networks: { "solana:local": { rpcUrl: "http://x" } },
      signer: { privateKeys: ["not-a-key", "abc"] },
    });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.errors.map((e) => e.field)).toEqual([
        "signers.solana.privateKeys[0]",
        "signers.solana.privateKeys[1]",
        "networks.solana:local",
      ]);
      expect(JSON.stringify(parsed.errors)).not.toContain("not-a-key");
    }
    expect(exactSvmFacilitatorPlugin.parse({ networks: {}, signer: {} })).toMatchObject({ ok: false });
  });

  it("applies the default limits, each configurable, so a payment costs the fee payer at most 110,000 lamports", async () => {
    const build = async (options: Record<string, unknown>) => {
      const parsed = exactSvmFacilitatorPlugin.parse({
        networks: { [devnet]: { rpcUrl: "http://127.0.0.1:8899", ...options } },
        signer: { privateKeys: [secret] },
      });
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
      const [v2] = await exactSvmFacilitatorPlugin.create(parsed.config, { store: new MemoryStore() });
      if (!(v2?.scheme instanceof ExactSvmScheme)) throw new Error("expected the v2 scheme first");
      return v2.scheme.engine.limits;
    };
    expect(await build({})).toEqual({
      maxPriorityFeeMicroLamports: 5_000_000,
      maxComputeUnits: 200_000,
      maxPriorityFeeLamports: 100_000,
      maxRequiredSignatures: 2,
    });
    expect(await build({ maxComputeUnits: 50_000, maxRequiredSignatures: 3 })).toMatchObject({
      maxComputeUnits: 50_000,
      maxRequiredSignatures: 3,
    });
    expect(exactSvmFacilitatorPlugin.networkOptions.map((o) => [o.name, o.default])).toEqual(
      expect.arrayContaining([
        ["maxComputeUnits", 200_000],
        ["maxPriorityFeeLamports", 100_000],
        ["maxRequiredSignatures", 2],
      ]),
    );
  });

  it("refuses limits out of range and a confirmation wait longer than a settlement's hold", () => {
    const parsed = exactSvmFacilitatorPlugin.parse({
      networks: {
        [devnet]: { rpcUrl: "http://127.0.0.1:8899", maxRequiredSignatures: 0, confirmTimeoutMs: 100_000 },
      },
      signer: { privateKeys: [secret] },
    });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.errors.map((e) => e.field)).toEqual([
        `networks.${devnet}.maxRequiredSignatures`,
        `networks.${devnet}.confirmTimeoutMs`,
      ]);
      expect(parsed.errors[0]?.message).toMatch(/maxRequiredSignatures/);
    }
  });
});
