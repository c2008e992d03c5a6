import { expressFactory } from "../src/adapters/express.js";
import { describeAdapterConformance } from "../src/conformance.js";

describeAdapterConformance("express", expressFactory);
