export { ExactSvmSchemeV1 } from "../../facilitator/exactSvmSchemeV1.js";
