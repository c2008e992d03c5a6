import { decodePaymentRequiredHeader, decodePaymentResponseHeader } from "@x402kit/core/http";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BYPASS_REQUEST_LINES } from "../../../packages/core/test/support/bypassSpellings.js";
import { rawRequest } from "../../../packages/core/test/support/rawHttp.js";
import { type AdapterFactory, type ConformanceApp, PAID_BODY, STREAM_EVENTS } from "./contract.js";
import { type ConformanceStack, PRICE, ROME_PRICE, startConformanceStack } from "./stack.js";
import {
  balances,
  deltas,
  officialPayingFetch,
  ourPayingFetch,
  paymentHeadersFor,
  readTimed,
} from "./stackProbes.js";

const EXACT_CHARGE = { payer: -PRICE, payTo: PRICE, other: 0n };
const NO_CHARGE = { payer: 0n, payTo: 0n, other: 0n };
const ORIGIN = "https://app.example";

/**
 * The conformance suite every server adapter runs, on anvil with our facilitator service:
 * the 402, the paid 200, settlement timing (after-handler holds everything; before-handler
 * settles first and streams), handler and settlement failures, CORS, dynamic pricing, the
 * bypass spellings and the official `@x402/fetch` client paying.
 *
 * @example
 * ```ts
 * describeAdapterConformance("express", expressFactory);
 * ```
 */
export function describeAdapterConformance(name: string, factory: AdapterFactory): void {
  describe(`adapter conformance: ${name}`, () => {
    let stack: ConformanceStack;
    let app: ConformanceApp;
    /** The same app with `/stream` priced before-handler. */
    let upfrontStreamApp: ConformanceApp;
    let drained = false;

    beforeAll(async () => {
      stack = await startConformanceStack();
      app = await factory(stack.setup());
      upfrontStreamApp = await factory(stack.setup("before-handler"));
    });
    afterAll(async () => {
      await app?.close();
      await upfrontStreamApp?.close();
      await stack?.stop();
    });
    beforeEach(() => {
      stack.reset();
      drained = false;
    });
    afterEach(async () => {
      if (drained) await stack.refill();
    });
    const drainBeforeSettle = () => {
      stack.drainBeforeSettle = drained = true;
    };
    const totalHits = () => Object.values(stack.hits).reduce((a, b) => a + b, 0);
    const receiptOf = (response: { headers: Headers }) =>
      decodePaymentResponseHeader(response.headers.get("payment-response") as string);

    it("serves a free route untouched", async () => {
      const response = await fetch(`${app.url}/free`);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe("free");
      expect(response.headers.get("payment-required")).toBeNull();
      expect(stack.hits.free).toBe(1);
    });

    it("answers an unpaid request with a 402 and PAYMENT-REQUIRED, never running the handler", async () => {
      const response = await fetch(`${app.url}/paid`);
      expect(response.status).toBe(402);
      expect(response.headers.get("cache-control")).toContain("no-store");
      expect(await response.text()).not.toContain(PAID_BODY);
      const { devnet } = stack;
      expect(decodePaymentRequiredHeader(response.headers.get("payment-required") as string)).toEqual({
        x402Version: 2,
        error: "Payment required",
        resource: { url: `${app.url}/paid`, description: "conformance", mimeType: "application/json" },
        accepts: [
          {
            scheme: "exact",
            network: devnet.network,
            amount: String(PRICE),
            asset: devnet.usdc.address,
            payTo: devnet.accounts.payTo.address,
            maxTimeoutSeconds: 300,
            extra: { name: devnet.usdc.name, version: devnet.usdc.version },
          },
        ],
      });
      for (const [path, method] of [
        ["/api", "GET"],
        ["/api/deep/path", "POST"],
        ["/fails", "GET"],
        ["/stream", "GET"],
        ["/upfront", "GET"],
        ["/weather/paris", "GET"],
      ] as const) {
        const other = await fetch(app.url + path, { method });
        expect([path, other.status]).toEqual([path, 402]);
        expect(other.headers.get("payment-required")).toBeTruthy();
        await other.body?.cancel();
      }
      expect(totalHits()).toBe(0);
    });

    it("pays /paid with our client: 200, PAYMENT-RESPONSE, the exact balance change", async () => {
      const before = await balances(stack);
      const response = await ourPayingFetch(stack)(`${app.url}/paid`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ content: PAID_BODY });
      const receipt = receiptOf(response);
      expect(receipt).toMatchObject({ success: true, network: stack.devnet.network });
      expect(receipt.payer?.toLowerCase()).toBe(stack.devnet.accounts.payer.address.toLowerCase());
      const onChain = await stack.devnet.publicClient.getTransactionReceipt({
        hash: receipt.transaction as `0x${string}`,
      });
      expect(onChain.status).toBe("success");
      expect(deltas(before, await balances(stack))).toEqual(EXACT_CHARGE);
      expect(stack.hits.paid).toBe(1);
    });

    it("pays a wildcard route, any method, bare prefix included", async () => {
      const before = await balances(stack);
      const headers = await paymentHeadersFor(stack, `${app.url}/api/deep/path`, { method: "POST" });
      const response = await fetch(`${app.url}/api/deep/path`, { method: "POST", headers });
      expect(response.status).toBe(200);
      expect(await response.text()).toBe(PAID_BODY);
      expect(receiptOf(response).success).toBe(true);
      const bare = await ourPayingFetch(stack)(`${app.url}/api`);
      expect([bare.status, await bare.text()]).toEqual([200, PAID_BODY]);
      expect(deltas(before, await balances(stack))).toEqual({
        payer: -2n * PRICE,
        payTo: 2n * PRICE,
        other: 0n,
      });
      expect(stack.hits.wildcard).toBe(2);
    });

    it("handler error → its answer is sent, nothing is settled", async () => {
      const headers = await paymentHeadersFor(stack, `${app.url}/fails`);
      const before = await balances(stack);
      const response = await fetch(`${app.url}/fails`, { headers });
      expect(response.status).toBe(500);
      expect(await response.text()).toBe("handler failed");
      expect(response.headers.get("payment-response")).toBeNull();
      expect(stack.hits.fails).toBe(1);
      expect(stack.settledAt).toBeUndefined();
      expect(deltas(before, await balances(stack))).toEqual(NO_CHARGE);
    });

    it("settlement failure (after-handler) → 402 with the reason, the handler's output withheld", async () => {
      const headers = await paymentHeadersFor(stack, `${app.url}/paid`);
      drainBeforeSettle(); // the payer's USDC leaves after verification, before settlement
      const response = await fetch(`${app.url}/paid`, { headers });
      expect(response.status).toBe(402);
      expect(await response.text()).not.toContain(PAID_BODY);
      const receipt = receiptOf(response);
      expect(receipt.success).toBe(false);
      // The facilitator's own reason: the funds are gone.
      expect(receipt.errorReason).toMatch(/insufficient/);
      expect(stack.hits.paid).toBe(1);
      expect(await stack.devnet.balanceOf(stack.devnet.accounts.payer.address)).toBe(0n);
    });

    it("before-handler: settles, then runs the handler; the receipt comes with the answer", async () => {
      const before = await balances(stack);
      const response = await fetch(`${app.url}/upfront`, {
        headers: await paymentHeadersFor(stack, `${app.url}/upfront`),
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ content: PAID_BODY });
      expect(receiptOf(response).success).toBe(true);
      expect(stack.settledAt).toBeDefined();
      expect(stack.settledAt as number).toBeLessThan(stack.hitAt.upfront as number);
      expect(deltas(before, await balances(stack))).toEqual(EXACT_CHARGE);
    });

    it("before-handler: settlement failure → 402 with the reason, the handler never runs", async () => {
      const headers = await paymentHeadersFor(stack, `${app.url}/upfront`);
      drainBeforeSettle();
      const response = await fetch(`${app.url}/upfront`, { headers });
      expect(response.status).toBe(402);
      expect(await response.text()).not.toContain(PAID_BODY);
      expect(receiptOf(response)).toMatchObject({
        success: false,
        errorReason: expect.stringMatching(/insufficient/),
      });
      expect(stack.hits.upfront).toBe(0);
    });

    it("streaming, after-handler: no byte before the settlement, then the whole stream", async () => {
      const before = await balances(stack);
      const headers = await paymentHeadersFor(stack, `${app.url}/stream`);
      const response = await readTimed(await fetch(`${app.url}/stream`, { headers }));
      expect(response.status).toBe(200);
      expect(response.body).toBe(STREAM_EVENTS.join(""));
      expect(receiptOf(response).success).toBe(true);
      expect(stack.settledAt).toBeGreaterThan(stack.hitAt.stream as number);
      expect(response.firstByteAt).toBeGreaterThanOrEqual(stack.settledAt as number);
      expect(deltas(before, await balances(stack))).toEqual(EXACT_CHARGE);
    });

    it("streaming, before-handler: settled before the first byte, then streamed as written", async () => {
      const url = `${upfrontStreamApp.url}/stream`;
      const before = await balances(stack);
      const response = await readTimed(await fetch(url, { headers: await paymentHeadersFor(stack, url) }));
      expect(response.status).toBe(200);
      expect(response.body).toBe(STREAM_EVENTS.join(""));
      expect(receiptOf(response).success).toBe(true);
      expect(stack.settledAt as number).toBeLessThan(stack.hitAt.stream as number);
      expect(response.firstByteAt as number).toBeGreaterThan(stack.settledAt as number);
      // Two 50 ms pauses between the events: a held stream would arrive all at once.
      expect(response.endAt - (response.firstByteAt as number)).toBeGreaterThan(60);
      expect(deltas(before, await balances(stack))).toEqual(EXACT_CHARGE);
    });

    it.each([
      ["a GET route", "/paid"],
      ["a method-less wildcard route", "/api/x"],
    ])("CORS: the preflight of %s is answered 204, never priced", async (_label, path) => {
      const response = await fetch(app.url + path, {
        method: "OPTIONS",
        headers: {
          origin: ORIGIN,
          "access-control-request-method": "GET",
          "access-control-request-headers": "payment-signature",
        },
      });
      expect(response.status).toBe(204);
      expect(response.headers.get("payment-required")).toBeNull();
      expect(response.headers.get("access-control-allow-origin")).toMatch(/^(\*|https:\/\/app\.example)$/);
      expect(response.headers.get("access-control-allow-headers")?.toLowerCase()).toContain(
        "payment-signature",
      );
      expect(totalHits()).toBe(0);
    });

    it("CORS: PAYMENT-REQUIRED is exposed on the 402, PAYMENT-RESPONSE on the paid 200", async () => {
      const unpaid = await fetch(`${app.url}/paid`, { headers: { origin: ORIGIN } });
      expect(unpaid.status).toBe(402);
      expect(unpaid.headers.get("access-control-allow-origin")).toMatch(/^(\*|https:\/\/app\.example)$/);
      expect(unpaid.headers.get("access-control-expose-headers")?.toUpperCase()).toContain(
        "PAYMENT-REQUIRED",
      );
      const paid = await ourPayingFetch(stack)(`${app.url}/paid`, { headers: { origin: ORIGIN } });
      expect(paid.status).toBe(200);
      expect(paid.headers.get("access-control-allow-origin")).toMatch(/^(\*|https:\/\/app\.example)$/);
      expect(paid.headers.get("access-control-expose-headers")?.toUpperCase()).toContain("PAYMENT-RESPONSE");
      expect(receiptOf(paid).success).toBe(true);
    });

    it("dynamic price and payTo: computed per request, charged as asked", async () => {
      const offer = async (city: string) => {
        const response = await fetch(`${app.url}/weather/${city}`);
        await response.body?.cancel();
        return decodePaymentRequiredHeader(response.headers.get("payment-required") as string).accepts[0];
      };
      const { payTo, other } = stack.devnet.accounts;
      expect(await offer("paris")).toMatchObject({ amount: String(PRICE), payTo: payTo.address });
      expect(await offer("rome")).toMatchObject({ amount: String(ROME_PRICE), payTo: other.address });
      const before = await balances(stack);
      const response = await ourPayingFetch(stack)(`${app.url}/weather/rome`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ city: "rome" });
      expect(deltas(before, await balances(stack))).toEqual({
        payer: -ROME_PRICE,
        payTo: 0n,
        other: ROME_PRICE,
      });
      expect(stack.hits.dynamic).toBe(1);
    });

    it.each(BYPASS_REQUEST_LINES)("no unpaid spelling reaches a paid handler: %s", async (line) => {
      const response = await rawRequest(app.port, line);
      expect(response.status).not.toBe(0);
      // A framework may answer OPTIONS itself (express: 200 with `Allow`); no paid handler may.
      if (!line.startsWith("OPTIONS")) expect(response.status === 200 || response.status === 204).toBe(false);
      expect(response.body).not.toContain(PAID_BODY);
      expect(totalHits()).toBe(0);
    });

    it("the bypass suite is live: the plain paid path gets 402 and /free is served raw", async () => {
      expect((await rawRequest(app.port, "GET /paid HTTP/1.1")).status).toBe(402);
      const free = await rawRequest(app.port, "GET /free HTTP/1.1");
      expect([free.status, free.body.includes("free")]).toEqual([200, true]);
    });

    it("the OFFICIAL @x402/fetch client pays /paid", async () => {
      const before = await balances(stack);
      const response = await officialPayingFetch(stack)(`${app.url}/paid`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ content: PAID_BODY });
      expect(receiptOf(response).success).toBe(true);
      expect(deltas(before, await balances(stack))).toEqual(EXACT_CHARGE);
      expect(stack.hits.paid).toBe(1);
    });
  });
}
