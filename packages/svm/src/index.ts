/**
 * `@x402kit/svm`: x402 on Solana. Scheme `exact` (SPL Token / Token-2022 TransferChecked,
 * the facilitator as fee payer) for client, server and facilitator, drop-in for the official
 * `@x402/svm` names. The root exports the client scheme, constants and helpers.
 *
 * @packageDocumentation
 */
export { convertToTokenAmount, numberToDecimalString } from "@x402kit/core/utils";
export { findAssociatedTokenAddress } from "./ata.js";
export {
  ASSOCIATED_TOKEN_PROGRAM_ADDRESS,
  COMPUTE_BUDGET_PROGRAM_ADDRESS,
  DEFAULT_COMPUTE_UNIT_LIMIT,
  DEFAULT_COMPUTE_UNIT_PRICE_MICROLAMPORTS,
  DEVNET_RPC_URL,
  DEVNET_WS_URL,
  LIGHTHOUSE_PROGRAM_ADDRESS,
  MAINNET_RPC_URL,
  MAINNET_WS_URL,
  MAX_COMPUTE_UNIT_LIMIT,
  MAX_COMPUTE_UNIT_PRICE_MICROLAMPORTS,
  MAX_MEMO_BYTES,
  MAX_PRIORITY_FEE_LAMPORTS,
  MAX_REQUIRED_SIGNATURES,
  MEMO_PROGRAM_ADDRESS,
  SETTLEMENT_TTL_MS,
  SOLANA_DEVNET_CAIP2,
  SOLANA_MAINNET_CAIP2,
  SOLANA_TESTNET_CAIP2,
  SVM_ADDRESS_REGEX,
  TESTNET_RPC_URL,
  TESTNET_WS_URL,
  TOKEN_2022_PROGRAM_ADDRESS,
  TOKEN_PROGRAM_ADDRESS,
  USDC_DEVNET_ADDRESS,
  USDC_MAINNET_ADDRESS,
  USDC_TESTNET_ADDRESS,
  V1_TO_V2_NETWORK_MAP,
} from "./constants.js";
export { ed25519Backend, verifyEd25519 } from "./crypto.js";
export {
  DEFAULT_ASSETS,
  findDefaultAsset,
  getDefaultAsset,
  getStablecoinAddress,
  getStablecoinSymbol,
  getStablecoinTokenProgram,
  getUsdcAddress,
  resolveStablecoinMint,
  type SvmDefaultAsset,
} from "./defaultAssets.js";
export { base58ToBytes, base64ToBytes, bytesToBase58, bytesToBase64 } from "./encoding.js";
export { resolveBlockhash } from "./exact/client/buildTransfer.js";
export {
  type ClientSvmConfig,
  type ClientSvmSigner,
  ExactSvmScheme,
  toClientSvmSigner,
} from "./exact/client/exactSvmScheme.js";
export {
  type ExactSvmSchemeOptions,
  type FacilitatorRpcConfig,
  type FacilitatorSimulateTransactionOptions,
  type FacilitatorSvmSigner,
  SettlementCache,
  TransactionOnchainFailureError,
  toFacilitatorSvmSigner,
} from "./exact/facilitator/index.js";
export { normalizeNetwork, tryNormalizeNetwork, validateSvmAddress } from "./network.js";
export { ExactSvmReason, type ExactSvmReasonCode } from "./reasons.js";
export { createRpcClient, type SvmRpc } from "./rpc.js";
export {
  decodeTransactionFromPayload,
  type ExactSvmPayload,
  type ExactSvmPayloadV1,
  type ExactSvmPayloadV2,
  getTokenPayerFromTransaction,
  transactionMessageHash,
} from "./transactionHelpers.js";
export {
  type CompiledInstruction,
  decodeWireTransaction,
  encodeWireTransaction,
  type WireTransaction,
} from "./wireTransaction.js";
