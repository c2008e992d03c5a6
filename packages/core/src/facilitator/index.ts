export {
  type FacilitatorHttpRequest,
  type FacilitatorHttpResponse,
  handleFacilitatorRequest,
} from "./http.js";
export { type FacilitatorHookContext, x402Facilitator } from "./x402Facilitator.js";
