export { ERC1271_MAGIC_VALUE, eip3009Abi, erc1271Abi, MULTICALL3_ADDRESS, multicall3Abi } from "./abi.js";
export {
  DEFAULT_STABLECOINS,
  type EvmStablecoin,
  findDefaultStablecoin,
  getDefaultStablecoin,
} from "./defaultAssets.js";
export {
  type ClientEvmSigner,
  createPermit2ApprovalTx,
  ExactEvmScheme,
  getPermit2AllowanceReadParams,
  type Permit2AllowanceParams,
  toClientEvmSigner,
} from "./exact/client/index.js";
export {
  type FacilitatorEvmSigner,
  type FacilitatorEvmSignerSource,
  toFacilitatorEvmSigner,
} from "./exact/facilitator/index.js";
export {
  type AssetTransferMethod,
  describeExactEvmPayloadProblem,
  type Eip3009Authorization,
  type ExactEIP3009Payload,
  type ExactEvmPayload,
  type ExactEvmPayloadV2,
  isExactEvmPayload,
} from "./exact/payload.js";
export {
  createErc20ApprovalGasSponsoringExtension,
  createErc20ApprovalSponsorSigner,
  declareEip2612GasSponsoringExtension,
  declareErc20ApprovalGasSponsoringExtension,
  EIP2612_GAS_SPONSORING,
  type Eip2612GasSponsoringExtension,
  type Eip2612GasSponsoringInfo,
  type Eip2612GasSponsoringServerInfo,
  ERC20_APPROVAL_GAS_SPONSORING,
  ERC20_APPROVAL_GAS_SPONSORING_VERSION,
  type Erc20ApprovalGasSponsoringBaseSigner,
  type Erc20ApprovalGasSponsoringExtension,
  type Erc20ApprovalGasSponsoringFacilitatorExtension,
  type Erc20ApprovalGasSponsoringInfo,
  type Erc20ApprovalGasSponsoringServerInfo,
  type Erc20ApprovalGasSponsoringSigner,
  type Erc20ApprovalSponsorOptions,
  eip2612GasSponsoringSchema,
  erc20ApprovalGasSponsoringSchema,
  extractEip2612GasSponsoringInfo,
  extractErc20ApprovalGasSponsoringInfo,
  type TransactionRequest,
  validateEip2612GasSponsoringInfo,
  validateErc20ApprovalGasSponsoringInfo,
} from "./gasSponsoring/index.js";
export { parseEvmNetwork, toEvmNetwork, tryParseEvmNetwork } from "./network.js";
export {
  type ExactPermit2Payload,
  erc20AllowanceAbi,
  isEIP3009Payload,
  isPermit2Payload,
  PERMIT2_ADDRESS,
  type Permit2Authorization,
  Permit2Reason,
  type Permit2Witness,
  permit2WitnessTypes,
  uptoPermit2WitnessTypes,
  x402ExactPermit2ProxyABI,
  x402ExactPermit2ProxyAddress,
  x402UptoPermit2ProxyABI,
  x402UptoPermit2ProxyAddress,
} from "./permit2/index.js";
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
