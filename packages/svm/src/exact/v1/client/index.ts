export { ExactSvmSchemeV1 } from "../../client/exactSvmSchemeV1.js";
