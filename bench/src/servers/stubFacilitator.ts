import { NETWORK } from "../config.js";

/**
 * STUB facilitator, in-process: the 3-method FacilitatorClient shape both SDKs accept.
 * It approves and "settles" every payload (replays included) without any chain, so the
 * benchmark measures the middleware, not signature checks or RPC. It counts its calls so
 * the runner can check that paid requests really went through verify and settle.
 */
export function createStubFacilitator() {
  const calls = { verify: 0, settle: 0, getSupported: 0 };
  const payerOf = (payload: { payload: Record<string, unknown> }) => {
    const authorization = payload.payload.authorization as { from?: string } | undefined;
    return authorization?.from ?? "0x0000000000000000000000000000000000000000";
  };
  return {
    calls,
    async getSupported() {
      calls.getSupported++;
      return {
        kinds: [{ x402Version: 2, scheme: "exact", network: NETWORK }],
        extensions: [] as string[],
        signers: {} as Record<string, string[]>,
      };
    },
    async verify(payload: { payload: Record<string, unknown> }) {
      calls.verify++;
      return { isValid: true, payer: payerOf(payload) };
    },
    async settle(payload: { payload: Record<string, unknown> }) {
      calls.settle++;
      return {
        success: true,
        transaction: `0x${"ab".repeat(32)}`,
        network: NETWORK,
        payer: payerOf(payload),
      };
    },
  };
}

export type StubFacilitator = ReturnType<typeof createStubFacilitator>;
