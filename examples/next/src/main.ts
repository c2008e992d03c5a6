import { serveExample } from "@x402kit/example-shared";
import { startSite } from "./startSite.js";

// `pnpm start` (in examples/next): a paid Next.js site on a local chain. It pays each route once to
// show the flow, then keeps serving until Ctrl-C (`--once`: stop after that first payment).
await serveExample({
  label: "paid Next site",
  startApi: startSite,
  paidPaths: ["/api/weather", "/api/ticker", "/api/report"],
});
