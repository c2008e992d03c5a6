export { validateStellarAssetAddress, validateStellarDestinationAddress } from "./addresses.js";
export { convertToTokenAmount } from "./amounts.js";
export {
  DEFAULT_ESTIMATED_LEDGER_SECONDS,
  DEFAULT_PUBNET_HORIZON_URL,
  DEFAULT_TESTNET_HORIZON_URL,
  DEFAULT_TESTNET_RPC_URL,
  DEFAULT_TOKEN_DECIMALS,
  STELLAR_ASSET_ADDRESS_REGEX,
  STELLAR_DESTINATION_ADDRESS_REGEX,
  STELLAR_PUBNET_CAIP2,
  STELLAR_TESTNET_CAIP2,
  STELLAR_WILDCARD_CAIP2,
  USDC_PUBNET_ADDRESS,
  USDC_TESTNET_ADDRESS,
} from "./constants.js";
export { ExactStellarScheme } from "./exact/client/index.js";
export { type ExactStellarPayloadV2, isExactStellarPayload } from "./exact/payload.js";
export {
  DEFAULT_RPC_TIMEOUT_MS,
  getEstimatedLedgerCloseTimeSeconds,
  getHorizonClient,
  getNetworkPassphrase,
  getRpcClient,
  getRpcUrl,
  getStellarNetwork,
  getUsdcAddress,
  isStellarNetwork,
  type RpcConfig,
  registerStellarNetwork,
  STELLAR_NETWORK_TO_PASSPHRASE,
  type StellarNetworkInfo,
} from "./networks.js";
export { ExactStellarReason } from "./reasons.js";
export {
  type ClientStellarSigner,
  createEd25519Signer,
  type Ed25519Signer,
  type FacilitatorStellarSigner,
  isClientStellarSigner,
  isFacilitatorStellarSigner,
} from "./signer.js";
export {
  type ContractSigners,
  type GatherAuthEntrySignatureStatusInput,
  gatherAuthEntrySignatureStatus,
  handleSimulationResult,
} from "./simulation.js";
