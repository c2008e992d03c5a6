export { ERC1271_MAGIC_VALUE, eip3009Abi, erc1271Abi, MULTICALL3_ADDRESS, multicall3Abi } from "./abi.js";
export {
  DEFAULT_STABLECOINS,
  type EvmStablecoin,
  findDefaultStablecoin,
  getDefaultStablecoin,
} from "./defaultAssets.js";
export {
  type ClientEvmSigner,
  ExactEvmScheme,
  toClientEvmSigner,
} from "./exact/client/index.js";
export {
  type FacilitatorEvmSigner,
  type FacilitatorEvmSignerSource,
  toFacilitatorEvmSigner,
} from "./exact/facilitator/index.js";
export {
  describeExactEvmPayloadProblem,
  type Eip3009Authorization,
  type ExactEvmPayload,
  isExactEvmPayload,
} from "./exact/payload.js";
export { parseEvmNetwork, toEvmNetwork, tryParseEvmNetwork } from "./network.js";
export { ExactEvmReason } from "./reasons.js";
export {
  ERC6492_MAGIC_SUFFIX,
  type Erc6492Signature,
  eip712Digest,
  eip712DomainSeparator,
  loadSecp256k1Backend,
  parseErc6492Signature,
  pureSecp256k1Backend,
  recoverDigestSigner,
  recoverDigestSignerWith,
  type Secp256k1Backend,
  transferWithAuthorizationDigest,
  wrapErc6492Signature,
} from "./signature/index.js";
export {
  type Eip3009Domain,
  type TransferWithAuthorizationMessage,
  type TransferWithAuthorizationTypedData,
  transferWithAuthorizationTypedData,
  transferWithAuthorizationTypes,
} from "./typedData.js";
export { UptoEvmScheme } from "./upto/client/index.js";
export {
  isUptoPermit2Payload,
  UptoEvmReason,
  type UptoPermit2Payload,
  type UptoPermit2Witness,
} from "./upto/payload.js";
