import { serveExample } from "@x402kit/example-shared";
import { startApi } from "./startApi.js";

// `pnpm start` (in examples/hono): a paid hono API on a local chain. It pays each route once to
// show the flow, then keeps serving until Ctrl-C (`--once`: stop after that first payment).
await serveExample({ label: "paid hono API", startApi, paidPaths: ["/weather", "/ticker"] });
