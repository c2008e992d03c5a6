// Child process: the official @x402/hono middleware over the stub facilitator.
import { ExactEvmScheme } from "@x402/evm/exact/server";
import { paymentMiddleware, x402ResourceServer } from "@x402/hono";
import { ROUTES } from "../config.js";
import { createHonoApp } from "./honoApp.js";
import { serveInChild } from "./serve.js";
import { createStubFacilitator } from "./stubFacilitator.js";

const stub = createStubFacilitator();
const server = new x402ResourceServer(stub).register("eip155:*", new ExactEvmScheme());
serveInChild(createHonoApp(paymentMiddleware(ROUTES, server)), stub);
