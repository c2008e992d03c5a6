import { nextRouteFactory } from "../src/adapters/nextRoute.js";
import { describeAdapterConformance } from "../src/conformance.js";

describeAdapterConformance("nextRoute", nextRouteFactory);
