/** Arguments of a contract read, as viem's `readContract` takes them. */
export interface EvmReadContractArgs {
  address: `0x${string}`;
  abi: readonly unknown[];
  functionName: string;
  args?: readonly unknown[];
}

/**
 * What the EVM client schemes need from a wallet: its address and EIP-712 signing. The
 * optional reads and transaction signing serve extensions (gas-sponsored approvals).
 * A viem `LocalAccount` (`privateKeyToAccount(key)`) fits as is; for a viem `WalletClient`
 * pass `{ address: wallet.account.address, signTypedData: (d) => wallet.signTypedData({ account: wallet.account, ...d }) }`.
 *
 * @example
 * ```ts
 * const signer: ClientEvmSigner = privateKeyToAccount(process.env.PAYER_KEY as `0x${string}`);
 * ```
 */
export interface ClientEvmSigner {
  readonly address: `0x${string}`;
  signTypedData(typedData: {
    domain: Record<string, unknown>;
    types: Record<string, unknown>;
    primaryType: string;
    message: Record<string, unknown>;
  }): Promise<`0x${string}`>;
  readContract?(args: EvmReadContractArgs): Promise<unknown>;
  signTransaction?(args: {
    to: `0x${string}`;
    data: `0x${string}`;
    nonce: number;
    gas: bigint;
    maxFeePerGas: bigint;
    maxPriorityFeePerGas: bigint;
    chainId: number;
  }): Promise<`0x${string}`>;
  getTransactionCount?(args: { address: `0x${string}` }): Promise<number>;
  estimateFeesPerGas?(): Promise<{ maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }>;
}

/** The read and fee helpers of a viem `PublicClient` that {@link toClientEvmSigner} borrows. */
export interface ClientEvmPublicClient {
  readContract(args: EvmReadContractArgs): Promise<unknown>;
  getTransactionCount?(args: { address: `0x${string}` }): Promise<number>;
  estimateFeesPerGas?(): Promise<{ maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }>;
}

/**
 * A {@link ClientEvmSigner} from an account plus, optionally, a public client that supplies
 * the chain reads the account lacks (the account's own methods win).
 *
 * @example
 * ```ts
 * const signer = toClientEvmSigner(privateKeyToAccount(key), createPublicClient({ chain: base, transport: http() }));
 * ```
 */
export function toClientEvmSigner(
  signer: Omit<ClientEvmSigner, "readContract"> & { readContract?: ClientEvmSigner["readContract"] },
  publicClient?: ClientEvmPublicClient,
): ClientEvmSigner {
  const composed: ClientEvmSigner = {
    address: signer.address,
    signTypedData: (typedData) => signer.signTypedData(typedData),
  };
  const readContract = signer.readContract?.bind(signer) ?? publicClient?.readContract.bind(publicClient);
  if (readContract) composed.readContract = readContract;
  if (signer.signTransaction) composed.signTransaction = signer.signTransaction.bind(signer);
  const getTransactionCount =
    signer.getTransactionCount?.bind(signer) ?? publicClient?.getTransactionCount?.bind(publicClient);
  if (getTransactionCount) composed.getTransactionCount = getTransactionCount;
  const estimateFeesPerGas =
    signer.estimateFeesPerGas?.bind(signer) ?? publicClient?.estimateFeesPerGas?.bind(publicClient);
  if (estimateFeesPerGas) composed.estimateFeesPerGas = estimateFeesPerGas;
  return composed;
}
