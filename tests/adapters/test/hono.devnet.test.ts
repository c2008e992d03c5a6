import { honoFactory } from "../src/adapters/hono.js";
import { describeAdapterConformance } from "../src/conformance.js";

describeAdapterConformance("hono", honoFactory);
