import { mainClientExample } from "@x402kit/example-shared";
import { payWithAxios } from "./payWithAxios.js";

// `pnpm start`: the shared local stack (anvil, our facilitator, a paid Express API), paid once
// with a GET and a POST through @x402kit/axios; everything started is stopped.
await mainClientExample(payWithAxios);
