import { describe, expect, it } from "vitest";

/**
 * Drop-in: every name an official `@x402/svm` 2.27 subpath exports is exported by ours, except
 * those in NOT_YET (the SVM `upto` scheme and the smart-wallet verification path, not built
 * yet). A listed name that appears in ours fails too, so the list only shrinks honestly.
 */
const SUBPATHS = [
  "",
  "/exact/client",
  "/exact/server",
  "/exact/facilitator",
  "/v1",
  "/exact/v1/client",
  "/exact/v1/facilitator",
];

const NOT_YET: Record<string, readonly string[]> = {
  "": [
    "UptoSvmScheme",
    "assertFeePayerIsolated",
    "assertSmartWalletLimits",
    "extractTransfersFromInnerInstructions",
    "isUptoSvmPayload",
    "recordPendingOrTerminal",
    "resolveOpenSlot",
    "validateComputeBudgetLimits",
    "verifyPostSettlement",
    "verifySmartWalletTransaction",
  ],
};

describe("exported names per @x402/svm subpath", () => {
  for (const subpath of SUBPATHS)
    it(`@x402kit/svm${subpath} ⊇ @x402/svm${subpath}`, async () => {
      const official = Object.keys(await import(/* @vite-ignore */ `@x402/svm${subpath}`));
      const ours = new Set(Object.keys(await import(/* @vite-ignore */ `@x402kit/svm${subpath}`)));
      expect(official.length).toBeGreaterThan(0);
      const missing = official.filter((name) => !ours.has(name)).sort();
      expect(missing).toEqual([...(NOT_YET[subpath] ?? [])].sort());
    });
});
