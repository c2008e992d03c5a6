/**
 * The EVM gas-sponsoring extensions (`eip2612GasSponsoring`, `erc20ApprovalGasSponsoring`):
 * declarations for servers, info types and checks for facilitators, and a sponsoring signer.
 *
 * @packageDocumentation
 */
export {
  type ApprovalTxBounds,
  type CheckedApprovalTx,
  checkEip2612PermitForPayment,
  checkErc20ApprovalForPayment,
  type SponsoredPayment,
} from "./checkExtensionInfo.js";
export {
  declareEip2612GasSponsoringExtension,
  EIP2612_GAS_SPONSORING,
  type Eip2612GasSponsoringExtension,
  type Eip2612GasSponsoringInfo,
  type Eip2612GasSponsoringServerInfo,
  extractEip2612GasSponsoringInfo,
  validateEip2612GasSponsoringInfo,
} from "./eip2612.js";
export {
  createErc20ApprovalGasSponsoringExtension,
  declareErc20ApprovalGasSponsoringExtension,
  ERC20_APPROVAL_GAS_SPONSORING,
  ERC20_APPROVAL_GAS_SPONSORING_VERSION,
  type Erc20ApprovalGasSponsoringBaseSigner,
  type Erc20ApprovalGasSponsoringExtension,
  type Erc20ApprovalGasSponsoringFacilitatorExtension,
  type Erc20ApprovalGasSponsoringInfo,
  type Erc20ApprovalGasSponsoringServerInfo,
  type Erc20ApprovalGasSponsoringSigner,
  erc20ApprovalSignerFor,
  extractErc20ApprovalGasSponsoringInfo,
  type TransactionRequest,
  validateErc20ApprovalGasSponsoringInfo,
} from "./erc20Approval.js";
export { eip2612GasSponsoringSchema, erc20ApprovalGasSponsoringSchema } from "./schemas.js";
export { createErc20ApprovalSponsorSigner, type Erc20ApprovalSponsorOptions } from "./sponsorSigner.js";
