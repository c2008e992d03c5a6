import { describePaidApi, isThreeTicks, isWeather } from "@x402kit/example-shared/testing";
import { startApi } from "../src/startApi.js";

// anvil, our facilitator and src/app.ts: 402 unpaid, both routes paid and settled, CORS.
describePaidApi("examples/fastify", {
  startApi,
  paidRoutes: { "/weather": isWeather, "/ticker": isThreeTicks },
});
