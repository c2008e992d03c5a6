import type { PaymentRequirements } from "@x402kit/core";
import type { FacilitatorPluginLogger, FacilitatorPluginRegistration } from "@x402kit/core/facilitator";
import { MemoryStore } from "@x402kit/core/storage";
import { type DevAccount, type Devnet, startDevnet } from "@x402kit/devnet";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  type EvmPluginRegistration,
  exactEvmFacilitatorPlugin,
  SettlementReconciler,
} from "../src/exact/facilitator/index.js";
import { ExactEvmReason as R } from "../src/index.js";
import { signPayment } from "./helpers.js";

/** The EVM facilitator plugin's background work on anvil: start-up failures and what it logs. */
let devnet: Devnet;
beforeAll(async () => {
  devnet = await startDevnet();
});
afterAll(async () => {
  await devnet?.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** TEST DOUBLE of the service logger: keeps every line. */
function recordingLoggerDouble() {
  const lines = { info: [] as string[], warn: [] as string[], error: [] as string[] };
  const logger: FacilitatorPluginLogger = {
    info: (message) => lines.info.push(message),
    warn: (message) => lines.warn.push(message),
    error: (message) => lines.error.push(message),
  };
  return { lines, logger };
}

async function closeAll(registrations: FacilitatorPluginRegistration[]) {
  for (const one of registrations) await (one as Partial<EvmPluginRegistration>).close?.();
}

describe("the EVM plugin", () => {
  it("starts no reconciler when another network fails at start-up", async () => {
    const start = vi.spyOn(SettlementReconciler.prototype, "start");
    const stop = vi.spyOn(SettlementReconciler.prototype, "stop");
    try {
      const error = await exactEvmFacilitatorPlugin
        .create(
          {
            privateKeys: [devnet.accounts.facilitator.privateKey],
            networks: [
              {
                network: devnet.network,
                chainId: devnet.chainId,
                rpcUrl: devnet.rpcUrl,
                reconcileIntervalMs: 20,
              },
              { network: "eip155:1", chainId: 1, rpcUrl: "http://127.0.0.1:9" },
            ],
          },
          { store: new MemoryStore() },
        )
        .catch((e: unknown) => e);
      expect(String(error)).toMatch(/eip155:1/);
      await sleep(500); // the healthy network finishes building meanwhile
      expect(start.mock.calls.length - stop.mock.calls.length).toBe(0);
    } finally {
      start.mockRestore();
      stop.mockRestore();
    }
  });

  it("logs a failing reconciler run through the service logger, without the RPC URL", async () => {
    const { lines, logger } = recordingLoggerDouble();
    // An RPC URL with an API key in its query (anvil ignores it).
    const rpcUrl = `${devnet.rpcUrl}/?apiKey=SECRET-API-KEY`;
    // TEST DOUBLE store whose listing fails (a store outage during a run), naming the URL.
    const store = new MemoryStore();
    store.list = async () => {
      throw new Error(`store unreachable (while reading ${rpcUrl})`);
    };
    const registrations = await exactEvmFacilitatorPlugin.create(
      {
        privateKeys: [devnet.accounts.facilitator.privateKey],
        networks: [{ network: devnet.network, chainId: devnet.chainId, rpcUrl, reconcileIntervalMs: 20 }],
      },
      { store, logger },
    );
    try {
      await vi.waitFor(() => expect(lines.error.length).toBeGreaterThan(0), { timeout: 2_000 });
      expect(lines.error[0]).toContain(`EVM reconciler ${devnet.network}`);
      expect(lines.error[0]).toContain("store unreachable");
      expect(lines.error[0]).not.toContain("SECRET-API-KEY");
    } finally {
      await closeAll(registrations);
    }
  });

  it("warns about settlements pending longer than ten rebroadcast periods", async () => {
    const { lines, logger } = recordingLoggerDouble();
    const account = devnet.allAccounts[7] as DevAccount;
    const registrations = await exactEvmFacilitatorPlugin.create(
      {
        privateKeys: [account.privateKey],
        networks: [
          {
            network: devnet.network,
            chainId: devnet.chainId,
            rpcUrl: devnet.rpcUrl,
            reconcileIntervalMs: 20,
            rebroadcastAfterMs: 5,
            receiptTimeoutMs: 200,
          },
        ],
      },
      { store: new MemoryStore(), logger },
    );
    const requirements: PaymentRequirements = {
      scheme: "exact",
      network: devnet.network,
      amount: "1000",
      asset: devnet.usdc.address,
      payTo: devnet.accounts.payTo.address,
      maxTimeoutSeconds: 600,
      extra: { name: devnet.usdc.name, version: devnet.usdc.version },
    };
    await devnet.testClient.setAutomine(false);
    try {
      const scheme = registrations[0]?.scheme;
      const payment = await signPayment(privateKeyToAccount(devnet.accounts.payer.privateKey), requirements);
      expect((await scheme?.settle(payment, requirements))?.errorReason).toBe(R.SettlementPending);
      await vi.waitFor(() => expect(lines.warn.length).toBeGreaterThan(0), { timeout: 3_000 });
      expect(lines.warn[0]).toMatch(/1 settlement\(s\) pending for over 10 × rebroadcastAfterMs/);
      expect(lines.info.some((line) => line.includes('"stale":1'))).toBe(true);
    } finally {
      await devnet.testClient.setAutomine(true);
      await closeAll(registrations);
    }
  });
});
