import { describeClientExample } from "@x402kit/example-shared/testing";
import { payWithFetch } from "../src/payWithFetch.js";

// src/payWithFetch.ts pays the shared Express API on anvil: both calls settled, two prices moved.
describeClientExample("examples/fetch-client", payWithFetch);
