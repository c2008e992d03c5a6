export { ExactSvmSchemeV1 } from "../exact/client/exactSvmSchemeV1.js";
export { NETWORKS } from "../exact/v1/networks.js";
