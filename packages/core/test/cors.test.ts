import { createCorsPolicy } from "@x402kit/core/server";
import { describe, expect, it } from "vitest";

const preflight = (origin: string | undefined, method = "OPTIONS", requestMethod: string | null = "GET") => ({
  method,
  origin,
  requestMethod: requestMethod ?? undefined,
  requestHeaders: "payment-signature",
});

describe("createCorsPolicy", () => {
  it("answers a preflight with 204 and x402's headers by default", () => {
    const answer = createCorsPolicy().preflight(preflight("https://app.test"));
    expect(answer).toEqual({
      status: 204,
      headers: {
        "access-control-allow-origin": "*",
        "access-control-allow-methods": "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS",
        "access-control-allow-headers":
          "PAYMENT-SIGNATURE, X-PAYMENT, SIGN-IN-WITH-X, Content-Type, Authorization",
        "access-control-max-age": "600",
      },
    });
  });

  it("is not a preflight without OPTIONS or without Access-Control-Request-Method", () => {
    const cors = createCorsPolicy();
    expect(cors.preflight(preflight("https://app.test", "GET"))).toBeUndefined();
    expect(cors.preflight(preflight("https://app.test", "OPTIONS", null))).toBeUndefined();
    expect(cors.preflight(preflight("https://app.test", "options"))?.status).toBe(204);
  });

  it("exposes the x402 response headers on every response", () => {
    expect(createCorsPolicy().responseHeaders("https://app.test")).toEqual({
      "access-control-allow-origin": "*",
      "access-control-expose-headers": "PAYMENT-REQUIRED, PAYMENT-RESPONSE, X-PAYMENT-RESPONSE",
    });
    expect(createCorsPolicy().responseHeaders(undefined)["access-control-allow-origin"]).toBe("*");
  });

  it("reflects a listed origin with Vary: Origin and refuses others", () => {
    const cors = createCorsPolicy({ origin: ["https://a.test", "https://b.test"] });
    expect(cors.responseHeaders("https://b.test")).toMatchObject({
      "access-control-allow-origin": "https://b.test",
      vary: "Origin",
    });
    expect(cors.responseHeaders("https://evil.test")).toEqual({ vary: "Origin" });
    // A refused origin's preflight is still answered (never priced) but allows nothing.
    expect(cors.preflight(preflight("https://evil.test"))).toEqual({
      status: 204,
      headers: { vary: "Origin" },
    });
    expect(cors.preflight(preflight("https://a.test"))?.headers["access-control-allow-origin"]).toBe(
      "https://a.test",
    );
  });

  it("accepts a single origin and a predicate", () => {
    const single = createCorsPolicy({ origin: "https://a.test" });
    expect(single.responseHeaders("https://a.test")["access-control-allow-origin"]).toBe("https://a.test");
    expect(single.responseHeaders("https://b.test")["access-control-allow-origin"]).toBeUndefined();
    const predicate = createCorsPolicy({ origin: (o) => o.endsWith(".example") });
    expect(predicate.responseHeaders("https://x.example")["access-control-allow-origin"]).toBe(
      "https://x.example",
    );
    expect(predicate.responseHeaders("https://x.test")["access-control-allow-origin"]).toBeUndefined();
  });

  it("never answers * with credentials: it reflects the origin", () => {
    const cors = createCorsPolicy({ credentials: true });
    expect(cors.responseHeaders("https://a.test")).toEqual({
      "access-control-allow-origin": "https://a.test",
      "access-control-allow-credentials": "true",
      "access-control-expose-headers": "PAYMENT-REQUIRED, PAYMENT-RESPONSE, X-PAYMENT-RESPONSE",
      vary: "Origin",
    });
  });

  it("adds headers and methods without losing the x402 ones", () => {
    const cors = createCorsPolicy({
      methods: ["GET", "POST"],
      allowedHeaders: ["X-Api-Key", "payment-signature"],
      exposedHeaders: ["X-Request-Id"],
      maxAge: 60,
    });
    const answer = cors.preflight(preflight("https://a.test"));
    expect(answer?.headers["access-control-allow-methods"]).toBe("GET, POST");
    expect(answer?.headers["access-control-allow-headers"]).toBe(
      "PAYMENT-SIGNATURE, X-PAYMENT, SIGN-IN-WITH-X, Content-Type, Authorization, X-Api-Key",
    );
    expect(answer?.headers["access-control-max-age"]).toBe("60");
    expect(cors.responseHeaders("https://a.test")["access-control-expose-headers"]).toBe(
      "PAYMENT-REQUIRED, PAYMENT-RESPONSE, X-PAYMENT-RESPONSE, X-Request-Id",
    );
  });
});
