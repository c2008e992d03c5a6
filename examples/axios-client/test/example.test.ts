import { describeClientExample } from "@x402kit/example-shared/testing";
import { payWithAxios } from "../src/payWithAxios.js";

// src/payWithAxios.ts pays the shared Express API on anvil: both calls settled, two prices moved.
describeClientExample("examples/axios-client", payWithAxios);
