import { defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";

// Tests run against the TypeScript sources of the workspace packages (no build needed):
// every package's `exports` carries an `@x402kit/source` condition pointing into `src/`.
const conditions = ["@x402kit/source", ...defaultServerConditions];

const allTests = [
  "packages/*/test/**/*.test.ts",
  "tests/*/test/**/*.test.ts",
  "examples/*/test/**/*.test.ts",
];
// Tests that start a real chain (anvil, litesvm) or a real service (Redis, PostgreSQL, a
// facilitator process): by name (`*.devnet.test.ts`, `devnet.test.ts`) or by package.
const chainTests = [
  "packages/*/test/**/*devnet.test.ts",
  "packages/devnet/test/**/*.test.ts",
  "packages/storage/test/**/*.test.ts",
  "tests/*/test/**/*.test.ts",
  "examples/*/test/**/*.test.ts",
];

/**
 * Two projects: `unit` (in-process, no chain, seconds) and `chain` (real local chains and
 * services). `vitest run` runs both; `vitest run --project unit` is the quick loop.
 */
export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    projects: [
      { extends: true, test: { name: "unit", include: allTests, exclude: chainTests } },
      { extends: true, test: { name: "chain", include: chainTests } },
    ],
  },
});
