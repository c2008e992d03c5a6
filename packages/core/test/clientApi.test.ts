import type { PaymentRequired, PaymentRequirements } from "@x402kit/core";
import { DEFAULT_MAX_AMOUNT_PER_PAYMENT, x402Client, x402HTTPClient } from "@x402kit/core/client";
import { encodePaymentRequiredHeader, encodePaymentResponseHeader } from "@x402kit/core/http";
import { MemoryStore } from "@x402kit/core/storage";
import { describe, expect, it } from "vitest";
import { TALLY_ASSET, TALLY_NETWORK, TallyClientScheme } from "./doubles/clientTallyScheme.js";

// The client engine's official-style API, against the "tally" TEST DOUBLE scheme.
const option = (overrides: Partial<PaymentRequirements> = {}): PaymentRequirements => ({
  scheme: "tally",
  network: TALLY_NETWORK,
  amount: "10000",
  asset: TALLY_ASSET,
  payTo: "merchant",
  maxTimeoutSeconds: 60,
  extra: {},
  ...overrides,
});
const required = (accepts: PaymentRequirements[], extensions?: Record<string, unknown>): PaymentRequired => ({
  x402Version: 2,
  resource: { url: "http://shop.test/item" },
  accepts,
  ...(extensions ? { extensions } : {}),
});
const tallyClient = (options?: ConstructorParameters<typeof x402Client>[0]) =>
  new x402Client(options).register("test:*", new TallyClientScheme());

describe("client extensions", () => {
  const declared = { "payment-id": { info: { required: true }, schema: { type: "object" } } };

  it("enrich the payload only when the server advertised their key, keeping the declared fields", async () => {
    const calls: string[] = [];
    const client = tallyClient().registerExtension({
      key: "payment-id",
      enrichPaymentPayload: async (payload, paymentRequired) => {
        calls.push(paymentRequired.resource.url);
        return {
          ...payload,
          extensions: { ...payload.extensions, "payment-id": { info: { id: "pay_1", required: false } } },
        };
      },
    });
    const advertised = await client.createPaymentPayload(required([option()], declared));
    expect(advertised.extensions).toEqual({
      "payment-id": { info: { id: "pay_1", required: true }, schema: { type: "object" } },
    });
    const plain = await client.createPaymentPayload(required([option()], { other: { info: {} } }));
    expect(plain.extensions).toEqual({ other: { info: {} } });
    expect(calls).toEqual(["http://shop.test/item"]);
  });

  it("run their hooks, with the server's declaration, only for 402s that declare them", async () => {
    const seen: unknown[] = [];
    const client = tallyClient().registerExtension({
      key: "payment-id",
      hooks: { onAfterPaymentCreation: async (declaration) => void seen.push(declaration) },
    });
    await client.createPaymentPayload(required([option()]));
    await client.createPaymentPayload(required([option()], declared));
    expect(seen).toEqual([declared["payment-id"]]);
    expect(client.getExtensions().map((e) => e.key)).toEqual(["payment-id"]);
  });
});

describe("extension HTTP hooks", () => {
  it("offer headers before paying, only for 402s that declare the extension", async () => {
    const client = tallyClient().registerExtension({
      key: "sign-in-with-x",
      transportHooks: {
        http: {
          onPaymentRequired: async (declaration) => ({
            headers: { "SIGN-IN-WITH-X": JSON.stringify(declaration) },
          }),
        },
      },
    });
    const http = new x402HTTPClient(client);
    const declaring = required([option()], { "sign-in-with-x": { info: { domain: "shop.test" } } });
    expect(await http.handlePaymentRequired(declaring, "http://shop.test/item")).toEqual({
      "SIGN-IN-WITH-X": '{"info":{"domain":"shop.test"}}',
    });
    expect(await http.handlePaymentRequired(required([option()]), "http://shop.test/item")).toBeNull();
  });
});

describe("setSpendControls (official shape) and our total cap", () => {
  it("refuses unknown assets and anything over $1 by default", async () => {
    const client = tallyClient();
    expect(DEFAULT_MAX_AMOUNT_PER_PAYMENT).toBe("$1");
    await expect(
      client.createPaymentPayload(required([option({ amount: "1000001" })])),
    ).rejects.toMatchObject({
      code: "spending_limit_exceeded",
    });
    await expect(client.createPaymentPayload(required([option({ asset: "GOLD" })]))).rejects.toThrow(
      /not a known stablecoin/,
    );
  });

  it("applies a USD cap, per-asset atomic caps (by id or symbol) and allowedAssets: true", async () => {
    const client = tallyClient().setSpendControls({ maxAmountPerPayment: "$0.005" });
    await expect(client.createPaymentPayload(required([option()]))).rejects.toThrow(
      /per-payment cap \$0\.005/,
    );
    client.setSpendControls({
      allowedAssets: [
        { network: TALLY_NETWORK, asset: "GOLD", maxAmountPerPayment: "7" },
        { network: TALLY_NETWORK, asset: "TUSD", maxAmountPerPayment: "20000" },
      ],
    });
    await expect(
      client.createPaymentPayload(required([option({ asset: "GOLD", amount: "8" })])),
    ).rejects.toThrow(/per-payment cap 7/);
    await client.createPaymentPayload(required([option({ asset: "GOLD", amount: "7" })]));
    await expect(client.createPaymentPayload(required([option({ amount: "20001" })]))).rejects.toThrow(
      /cap 20000/,
    );
    client.setSpendControls({ allowedAssets: true, maxAmountPerPayment: "$0.02" });
    await client.createPaymentPayload(required([option({ asset: "ANY", amount: "999999999" })]));
    await expect(client.createPaymentPayload(required([option({ amount: "20001" })]))).rejects.toMatchObject({
      code: "spending_limit_exceeded",
    });
    client.setSpendControls(false);
    await client.createPaymentPayload(required([option({ asset: "ANY", amount: "999999999" })]));
    await client.createPaymentPayload(required([option({ amount: "5000000" })]));
  });

  it("pays the affordable option of a mixed offer", async () => {
    const client = tallyClient({ spendControls: { maxAmountPerPayment: "$0.01" } });
    const payload = await client.createPaymentPayload(
      required([option({ amount: "50000" }), option({ amount: "9000" })]),
    );
    expect(payload.accepted.amount).toBe("9000");
  });

  it("hands the resolved cap to the scheme as context.maxAmountPerPayment", async () => {
    const scheme = new TallyClientScheme();
    const client = new x402Client({ spendControls: { maxAmountPerPayment: "$0.05" } }).register(
      "test:*",
      scheme,
    );
    await client.createPaymentPayload(required([option()]));
    client.setSpendControls(false);
    await client.createPaymentPayload(required([option()]));
    expect(scheme.contexts.map((c) => c.maxAmountPerPayment)).toEqual(["50000", undefined]);
  });

  it("keeps a total budget across restarts and concurrent payments through a KeyValueStore", async () => {
    const store = new MemoryStore();
    const controls = { maxAmountPerPayment: "$1", maxTotal: "$1" } as const;
    const first = tallyClient({ spendControls: controls, store });
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => first.createPaymentPayload(required([option({ amount: "400000" })]))),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(2);
    // A new process with the same store: $0.80 already spent.
    const restarted = tallyClient({ spendControls: controls, store });
    await expect(restarted.createPaymentPayload(required([option({ amount: "400000" })]))).rejects.toThrow(
      /total cap \$1/,
    );
    await restarted.createPaymentPayload(required([option({ amount: "200000" })]));
  });
});

describe("x402Client construction and hooks", () => {
  it("takes the official selector or our options object", async () => {
    const byLast = new x402Client((_v, reqs) => reqs[reqs.length - 1]!).register(
      "test:*",
      new TallyClientScheme(),
    );
    const payload = await byLast.createPaymentPayload(required([option(), option({ payTo: "second" })]));
    expect(payload.accepted.payTo).toBe("second");
    const fromConfig = x402Client.fromConfig({
      schemes: [{ network: TALLY_NETWORK, client: new TallyClientScheme() }],
      policies: [(_v, reqs) => reqs.filter((r) => r.payTo !== "merchant")],
    });
    expect(
      (await fromConfig.createPaymentPayload(required([option(), option({ payTo: "b" })]))).accepted.payTo,
    ).toBe("b");
  });

  it("runs its own hooks before the scheme's, and lets either abort", async () => {
    const order: string[] = [];
    const scheme = new TallyClientScheme();
    Object.assign(scheme, {
      schemeHooks: {
        onBeforePaymentCreation: async () => void order.push("scheme-before"),
        onAfterPaymentCreation: async () => void order.push("scheme-after"),
      },
    });
    const client = new x402Client()
      .register("test:*", scheme)
      .onBeforePaymentCreation(
        async ({ selectedRequirements }) => void order.push(`own-before:${selectedRequirements.amount}`),
      )
      .onAfterPaymentCreation(async () => void order.push("own-after"));
    await client.createPaymentPayload(required([option()]));
    expect(order).toEqual(["own-before:10000", "scheme-before", "own-after", "scheme-after"]);
    client.onBeforePaymentCreation(async () => {
      throw new Error("broken check");
    });
    await expect(client.createPaymentPayload(required([option()]))).rejects.toMatchObject({
      code: "payment_creation_aborted",
    });
  });
});

describe("x402HTTPClient (official method names)", () => {
  const http = new x402HTTPClient(tallyClient());

  it("reads receipts from PAYMENT-RESPONSE, else X-PAYMENT-RESPONSE, and throws without one", () => {
    const receipt = { success: true, transaction: "0xabc", network: TALLY_NETWORK };
    const header = encodePaymentResponseHeader(receipt);
    expect(http.getPaymentSettleResponse((n) => (n === "X-PAYMENT-RESPONSE" ? header : null))).toEqual(
      receipt,
    );
    expect(() => http.getPaymentSettleResponse(() => null)).toThrow(/no PAYMENT-RESPONSE/);
  });

  it("encodes v2 payloads as PAYMENT-SIGNATURE and v1 payloads as X-PAYMENT", async () => {
    const v2 = await http.createPaymentPayload(required([option()]));
    expect(Object.keys(http.encodePaymentSignatureHeader(v2))).toEqual(["PAYMENT-SIGNATURE"]);
    const v1 = { x402Version: 1 as const, scheme: "tally", network: "tally-testnet", payload: {} };
    expect(Object.keys(http.encodePaymentSignatureHeader(v1))).toEqual(["X-PAYMENT"]);
  });

  it("reports a paid answer's outcome (processPaymentResult)", async () => {
    const payload = await http.createPaymentPayload(required([option()]));
    const receipt = encodePaymentResponseHeader({ success: true, transaction: "", network: TALLY_NETWORK });
    const result = await http.processPaymentResult(
      payload,
      (n) => (n === "PAYMENT-RESPONSE" ? receipt : null),
      200,
    );
    expect(result).toEqual({
      recovered: false,
      settleResponse: { success: true, transaction: "", network: TALLY_NETWORK },
    });
  });

  it("reads an answer's payment outcome (parsePaymentResult / processResponse)", async () => {
    const receipt = {
      success: false,
      errorReason: "insufficient_funds",
      transaction: "",
      network: TALLY_NETWORK,
    };
    const failed = new Response('{"a":1}', {
      status: 402,
      headers: { "PAYMENT-RESPONSE": encodePaymentResponseHeader(receipt) },
    });
    expect(await http.processResponse(failed)).toEqual({
      status: 402,
      body: { a: 1 },
      header: receipt,
      paymentStatus: "settle_failed",
    });
    const refused = required([option()]);
    const parsed = http.parsePaymentResult({
      status: 402,
      getHeader: (n) => (n === "PAYMENT-REQUIRED" ? encodePaymentRequiredHeader(refused) : null),
      body: "",
    });
    expect(parsed).toMatchObject({ paymentStatus: "payment_required", header: refused });
    expect(await http.processResponse(new Response("plain"))).toEqual({
      status: 200,
      body: "plain",
      paymentStatus: "none",
    });
  });
});
