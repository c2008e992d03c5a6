import { fastifyFactory } from "../src/adapters/fastify.js";
import { describeAdapterConformance } from "../src/conformance.js";

describeAdapterConformance("fastify", fastifyFactory);
