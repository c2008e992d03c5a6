import { describePaidApi, isThreeTicks, isWeather } from "@x402kit/example-shared/testing";
import { expect } from "vitest";
import { startSite } from "../src/startSite.js";

// anvil, our facilitator and `next build` + `next start` of site/: 402 unpaid, the two routes
// priced in proxy.ts and the one wrapped with withX402 paid and settled, CORS in the proxy.
// `next build` bundles @x402kit/next from its dist: `pnpm test` builds the packages first.
describePaidApi("examples/next", {
  startApi: startSite,
  startTimeoutMs: 180_000,
  paidRoutes: {
    "/api/weather": isWeather,
    "/api/ticker": isThreeTicks,
    "/api/report": (body) => expect(JSON.parse(body)).toEqual({ report: "Q3 revenue up 12%" }),
  },
});
