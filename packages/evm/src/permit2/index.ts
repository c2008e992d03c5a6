/**
 * Shared Permit2 primitives of the EVM schemes (`exact` via Permit2 and `upto`): addresses,
 * ABIs, EIP-712 witness types, payload types and validation, nonces, the facilitator checks
 * (parameterised by proxy) and reason strings. Stable API: the upto scheme builds on it.
 *
 * @packageDocumentation
 */
export {
  erc20AllowanceAbi,
  erc20PermitAbi,
  permit2ErrorsAbi,
  x402ExactPermit2ProxyABI,
  x402UptoPermit2ProxyABI,
} from "./abi.js";
export {
  checkPermit2Authorization,
  checkPermit2Prerequisites,
  checkPermit2Signature,
  describePermit2Revert,
  diagnosePermit2Failure,
  exactPermit2ProxyConfig,
  type Permit2Diagnosis,
  type Permit2ProxyConfig,
  type Permit2Requirements,
  permit2TypedDataOf,
} from "./checks.js";
export {
  MAX_UINT256,
  PERMIT2_ADDRESS,
  PERMIT2_DEADLINE_BUFFER_SECONDS,
  x402ExactPermit2ProxyAddress,
  x402UptoPermit2ProxyAddress,
} from "./constants.js";
export { createPermit2Nonce } from "./nonce.js";
export {
  describePermit2PayloadProblem,
  EXACT_PERMIT2_WITNESS,
  type ExactPermit2Payload,
  isEIP3009Payload,
  isPermit2Payload,
  type Permit2Authorization,
  type Permit2Witness,
  type Permit2WitnessShape,
  permit2NonceKey,
} from "./payload.js";
export { Permit2Reason, permit2ReasonFromRevert } from "./reasons.js";
export { eip2612PermitArgOf, encodeExactPermit2Settle, permitTransferFromOf } from "./settleCalldata.js";
export {
  eip2612PermitTypes,
  type Permit2WitnessTypes,
  type PermitWitnessTransferFromMessage,
  permit2Domain,
  permit2WitnessTypedData,
  permit2WitnessTypes,
  uptoPermit2WitnessTypes,
} from "./typedData.js";
