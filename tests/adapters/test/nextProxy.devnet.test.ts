import { nextProxyFactory } from "../src/adapters/nextProxy.js";
import { describeAdapterConformance } from "../src/conformance.js";

describeAdapterConformance("nextProxy", nextProxyFactory);
