import { mainClientExample } from "@x402kit/example-shared";
import { payWithFetch } from "./payWithFetch.js";

// `pnpm start`: the shared local stack (anvil, our facilitator, a paid Express API), paid once
// with a GET and a POST through @x402kit/fetch; everything started is stopped.
await mainClientExample(payWithFetch);
