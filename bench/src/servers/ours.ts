// Child process: our express middleware over the stub facilitator.
import { ExactEvmScheme } from "@x402kit/evm/exact/server";
import { paymentMiddleware, x402ResourceServer } from "@x402kit/express";
import { ROUTES } from "../config.js";
import { createApp } from "./app.js";
import { serveInChild } from "./serve.js";
import { createStubFacilitator } from "./stubFacilitator.js";

const stub = createStubFacilitator();
const server = new x402ResourceServer(stub).register("eip155:*", new ExactEvmScheme());
serveInChild(createApp(paymentMiddleware(ROUTES, server)), stub);
