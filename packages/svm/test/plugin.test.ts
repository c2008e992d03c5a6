import { describe, expect, it } from "vitest";
import { exactSvmFacilitatorPlugin } from "../src/exact/facilitator/index.js";

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
});
