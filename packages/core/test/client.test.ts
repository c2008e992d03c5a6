import type { PaymentRequired, PaymentRequirements } from "@x402kit/core";
import { x402Client } from "@x402kit/core/client";
import { describe, expect, it } from "vitest";
import { LEDGER_ASSET, LEDGER_NETWORK, LedgerClient } from "./ledgerScheme.js";

const option = (overrides: Partial<PaymentRequirements> = {}): PaymentRequirements => ({
  scheme: "ledger",
  network: LEDGER_NETWORK,
  amount: "10000",
  asset: LEDGER_ASSET,
  payTo: "merchant",
  maxTimeoutSeconds: 60,
  extra: {},
  ...overrides,
});
const required = (...accepts: PaymentRequirements[]): PaymentRequired => ({
  x402Version: 2,
  resource: { url: "http://shop.test/item" },
  accepts,
  extensions: { note: { info: { a: 1 } } },
});

describe("x402Client", () => {
  it("pays the first payable requirement and assembles the payload", async () => {
    const client = new x402Client().register("test:*", new LedgerClient("alice"));
    const payload = await client.createPaymentPayload(required(option({ scheme: "unknown" }), option()));
    expect(payload.accepted).toEqual(option());
    expect(payload.resource).toEqual({ url: "http://shop.test/item" });
    expect(payload.extensions).toEqual({ note: { info: { a: 1 } } });
    expect(payload.payload).toMatchObject({ from: "alice", amount: "10000" });
  });

  it("never falls back to a network outside the preferences", async () => {
    const client = new x402Client({ preferences: { networks: ["test:other"] } }).register(
      "test:*",
      new LedgerClient("a"),
    );
    await expect(client.selectRequirements(required(option()))).rejects.toMatchObject({
      code: "no_matching_requirements",
    });
  });

  it("orders candidates by network preference", async () => {
    const client = new x402Client({ preferences: { networks: ["test:second", "test:*"] } }).register(
      "test:*",
      new LedgerClient("a"),
    );
    const chosen = await client.selectRequirements(required(option(), option({ network: "test:second" })));
    expect(chosen.network).toBe("test:second");
  });

  it("caps each payment at $1 by default and refuses unknown assets", async () => {
    const client = new x402Client().register("test:*", new LedgerClient("a"));
    await expect(client.selectRequirements(required(option({ amount: "1000001" })))).rejects.toMatchObject({
      code: "spending_limit_exceeded",
    });
    expect((await client.selectRequirements(required(option({ amount: "1000000" })))).amount).toBe("1000000");
    await expect(client.selectRequirements(required(option({ asset: "OTHER" })))).rejects.toThrow(
      /not a known stablecoin/,
    );
  });

  it("enforces a total cap across payments", async () => {
    const client = new x402Client({
      spendControls: { maxAmountPerPayment: "$0.5", maxTotal: "$0.02" },
    }).register("test:*", new LedgerClient("a"));
    await client.createPaymentPayload(required(option()));
    await client.createPaymentPayload(required(option()));
    await expect(client.createPaymentPayload(required(option()))).rejects.toMatchObject({
      code: "spending_limit_exceeded",
    });
  });

  it("pays allowed non-stablecoin assets within their atomic caps", async () => {
    const client = new x402Client({
      spendControls: {
        allowedAssets: [{ network: LEDGER_NETWORK, asset: "GOLD", maxAmountPerPayment: 5n, maxTotal: "8" }],
      },
    }).register("test:*", new LedgerClient("a"));
    await client.createPaymentPayload(required(option({ asset: "GOLD", amount: "5" })));
    await expect(
      client.createPaymentPayload(required(option({ asset: "GOLD", amount: "6" }))),
    ).rejects.toThrow(/per-payment cap/);
    await expect(
      client.createPaymentPayload(required(option({ asset: "GOLD", amount: "5" }))),
    ).rejects.toThrow(/total cap/);
  });

  it("lets a hook abort before signing", async () => {
    const client = new x402Client()
      .register("test:*", new LedgerClient("a"))
      .onBeforePaymentCreation(() => ({ abort: true, reason: "user_declined" }));
    await expect(client.createPaymentPayload(required(option()))).rejects.toMatchObject({
      code: "payment_creation_aborted",
    });
  });
});

describe("x402Client total cap under concurrency", () => {
  it("cannot be passed by payments signed at the same time", async () => {
    const client = new x402Client({ spendControls: { maxAmountPerPayment: "$1", maxTotal: "$1" } }).register(
      "test:*",
      new LedgerClient("a"),
    );
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => client.createPaymentPayload(required(option({ amount: "600000" })))),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  });

  it("gives the amount back when signing fails", async () => {
    const failing = new LedgerClient("a");
    let fail = true;
    const sign = failing.createPaymentPayload.bind(failing);
    failing.createPaymentPayload = async (...args) => {
      if (fail) throw new Error("wallet locked");
      return sign(...args);
    };
    const client = new x402Client({ spendControls: { maxTotal: "$0.01" } }).register("test:*", failing);
    await expect(client.createPaymentPayload(required(option()))).rejects.toMatchObject({
      code: "payment_creation_failed",
    });
    fail = false;
    await expect(client.createPaymentPayload(required(option()))).resolves.toBeDefined();
  });
});
