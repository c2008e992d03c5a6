export { createAptosClient } from "./aptosClient.js";
export {
  APTOS_ADDRESS_REGEX,
  APTOS_LOCAL_CAIP2,
  APTOS_MAINNET_CAIP2,
  APTOS_TESTNET_CAIP2,
  DEFAULT_CLIENT_MAX_GAS_AMOUNT,
  EXPIRATION_BUFFER_SECONDS,
  FUNGIBLE_ASSET_METADATA_TYPE,
  MAX_GAS_AMOUNT,
  MAX_GAS_UNIT_PRICE,
  TRANSFER_FUNCTION,
  USDC_MAINNET_FA,
  USDC_TESTNET_FA,
} from "./constants.js";
export { DEFAULT_ASSETS, findDefaultAsset, getDefaultAsset } from "./defaultAssets.js";
export {
  type ClientAptosConfig,
  type ClientAptosSigner,
  createClientSigner,
  ExactAptosScheme,
} from "./exact/client/index.js";
export {
  type FacilitatorAptosRpcConfig,
  type FacilitatorAptosSigner,
  toFacilitatorAptosSigner,
} from "./exact/facilitator/signer.js";
export { transferPayload } from "./exact/transferPayload.js";
export {
  type AptosDefaultAsset,
  type AptosNetworkConfig,
  getAptosChainId,
  getAptosNetwork,
  getAptosNetworkConfig,
  getAptosRpcUrl,
  listAptosNetworks,
  registerAptosNetwork,
  tryGetAptosChainId,
} from "./networks.js";
export {
  type AptosPayment,
  type DecodedAptosPayload,
  deserializeAptosPayment,
  type ExactAptosPayload,
  encodeAptosPayload,
  isEntryFunctionPayload,
  isExactAptosPayload,
} from "./payload.js";
export { ExactAptosReason } from "./reasons.js";
