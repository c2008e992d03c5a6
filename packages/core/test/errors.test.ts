import { describeError, isX402Error, X402Error } from "@x402kit/core";
import { describe, expect, it } from "vitest";

describe("X402Error", () => {
  const root = Object.assign(new Error("connect ECONNREFUSED http://key@rpc.example"), { code: -32000 });
  const middle = new X402Error("facilitator_unavailable", "facilitator did not answer", {
    cause: root,
    status: 502,
  });
  const top = new X402Error("unexpected_settle_error", "settlement failed", { cause: middle });

  it("keeps a short message, a stable code and the status", () => {
    expect(top.message).toBe("settlement failed");
    expect(top.shortMessage).toBe("settlement failed");
    expect(middle.status).toBe(502);
    expect(isX402Error(top, "unexpected_settle_error")).toBe(true);
    expect(isX402Error(top, "invalid_payload")).toBe(false);
    expect(isX402Error(root)).toBe(false);
  });

  it("walks the cause chain to the deepest cause or the first match", () => {
    expect(top.walk()).toBe(root);
    expect(top.walk((e) => isX402Error(e, "facilitator_unavailable"))).toBe(middle);
    expect(top.walk((e) => (e as { code?: unknown }).code === -32000)).toBe(root);
    expect(top.walk((e) => (e as { code?: unknown }).code === 1)).toBeUndefined();
  });

  it("stops on a cyclic cause chain", () => {
    const a = new X402Error("invalid_payload", "a");
    const b = new X402Error("invalid_payload", "b", { cause: a });
    Object.defineProperty(a, "cause", { value: b });
    expect([a, b]).toContain(a.walk());
  });

  it("describes errors by their short message, so URLs in long messages stay out", () => {
    const viemLike = Object.assign(new Error("long text with https://rpc?key=secret"), {
      shortMessage: "request failed",
    });
    expect(describeError(viemLike)).toBe("request failed");
    expect(describeError("x".repeat(600)).length).toBe(501);
  });
});
