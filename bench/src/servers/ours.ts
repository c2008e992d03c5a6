// Child process: our express middleware over the stub facilitator.
import { ExactEvmServer } from "@x402kit/evm/exact/server";
import { paymentMiddleware, x402ResourceServer } from "@x402kit/express";
import { NETWORK, PAID_PATH, PAY_TO, PRICE } from "../config.js";
import { createApp } from "./app.js";
import { serveInChild } from "./serve.js";
import { createStubFacilitator } from "./stubFacilitator.js";

const stub = createStubFacilitator();
const server = new x402ResourceServer(stub).register("eip155:*", new ExactEvmServer());
const routes = {
  [`GET ${PAID_PATH}`]: { accepts: { scheme: "exact", network: NETWORK, payTo: PAY_TO, price: PRICE } },
};
serveInChild(createApp(paymentMiddleware(routes, server)), stub);
