// Child process: our hono middleware over the stub facilitator.

import { x402HTTPResourceServer } from "@x402kit/core/server";
import { ExactEvmScheme } from "@x402kit/evm/exact/server";
import { paymentMiddlewareFromHTTPServer, x402ResourceServer } from "@x402kit/hono";
import { OUR_HTTP_OPTIONS, ROUTES } from "../config.js";
import { createHonoApp } from "./honoApp.js";
import { serveInChild } from "./serve.js";
import { createStubFacilitator } from "./stubFacilitator.js";

const stub = createStubFacilitator();
const server = new x402ResourceServer(stub).register("eip155:*", new ExactEvmScheme());
const http = new x402HTTPResourceServer(server, ROUTES, OUR_HTTP_OPTIONS);
serveInChild(createHonoApp(paymentMiddlewareFromHTTPServer(http)), stub);
