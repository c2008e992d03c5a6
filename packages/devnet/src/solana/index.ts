/**
 * `@x402kit/devnet/solana`: a local Solana chain for x402 tests and demos. litesvm (the SVM
 * runtime, in-process) served as Solana JSON-RPC over loopback: a stand-in for a validator.
 *
 * @packageDocumentation
 */

export { describeSolanaDevnet, solanaDevnetLines } from "./cliInfo.js";
export {
  ASSOCIATED_TOKEN_PROGRAM,
  LAMPORTS_PER_SIGNATURE,
  SOLANA_DEFAULT_LAMPORTS,
  SOLANA_DEFAULT_TOKEN_AMOUNT,
  SOLANA_DEVNET_GENESIS_HASH,
  SOLANA_DEVNET_NETWORK,
  SYSTEM_PROGRAM,
  TOKEN_2022_PROGRAM,
  TOKEN_PROGRAM,
} from "./constants.js";
export { devAccount, type SolanaDevAccount } from "./keys.js";
export { RpcMethodError, SolanaRpcMethods } from "./rpcMethods.js";
export { serveSolanaRpc } from "./rpcServer.js";
export {
  type SolanaDevnet,
  type SolanaDevnetAccounts,
  type SolanaDevnetMint,
  type SolanaDevnetOptions,
  startSolanaDevnet,
} from "./solanaDevnet.js";
export {
  associatedTokenAddress,
  decodeMint,
  decodeTokenAccount,
  encodeMint,
  encodeTokenAccount,
} from "./tokenState.js";
export { type RpcTransactionError, toRpcError } from "./transactionError.js";
