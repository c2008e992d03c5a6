import {
  type Account,
  type Chain,
  type PublicClient,
  parseTransaction,
  publicActions,
  recoverTransactionAddress,
  type TransactionSerialized,
  type Transport,
  type WalletClient,
} from "viem";
import { Permit2Reason as R } from "../permit2/reasons.js";
import type { Erc20ApprovalGasSponsoringSigner, TransactionRequest } from "./erc20Approval.js";

/**
 * Limits of {@link createErc20ApprovalSponsorSigner}: the most the facilitator gives away.
 *
 * @example
 * ```ts
 * const options: Erc20ApprovalSponsorOptions = { maxFundingWei: 10n ** 15n, maxFeeMultiplier: 3n };
 * ```
 */
export interface Erc20ApprovalSponsorOptions {
  /** Most ETH sent to one payer to pay for its approval. Default 0.001 ETH (10^15 wei). */
  maxFundingWei?: bigint;
  /** An approval's `maxFeePerGas` may be at most this multiple of the network's current estimate. Default 3. */
  maxFeeMultiplier?: bigint;
  /** How long to wait for the funding and approval receipts. Default 30 s. */
  receiptTimeoutMs?: number;
  /**
   * A payer is funded at most once in this time (per signer instance): a payer who spends the
   * funding elsewhere before its approval lands cannot be funded again and again. Default 24 h.
   */
  fundingCooldownMs?: number;
}

type Clients = {
  walletClient: WalletClient<Transport, Chain, Account>;
  publicClient?: PublicClient;
};

/**
 * A {@link Erc20ApprovalGasSponsoringSigner} over viem clients that runs an approval and its
 * settlement in order: for a signed approval, it checks the transaction's nonce is the payer's
 * next one and its fee is at most `maxFeeMultiplier`× the current estimate, tops the payer up
 * with exactly the missing gas money (at most `maxFundingWei`, else it refuses), broadcasts the
 * approval and waits for it to succeed; then it sends the settlement calls and returns every
 * hash (the last is the settlement's, not waited for). A failed approval throws an error whose
 * message starts with `erc20_approval_tx_failed`.
 *
 * Exposure: at most `maxFundingWei` per payer per `fundingCooldownMs` (the payer keeps what its
 * approval does not burn); the facilitator's scheme sponsors only payments whose allowance is short.
 *
 * @example
 * ```ts
 * facilitator.registerExtension(createErc20ApprovalGasSponsoringExtension(createErc20ApprovalSponsorSigner({ walletClient, publicClient })));
 * ```
 */
export function createErc20ApprovalSponsorSigner(
  { walletClient, publicClient }: Clients,
  options: Erc20ApprovalSponsorOptions = {},
): Erc20ApprovalGasSponsoringSigner {
  const reader = publicClient ?? walletClient.extend(publicActions);
  const account = walletClient.account;
  const chain = walletClient.chain;
  const maxFunding = options.maxFundingWei ?? 10n ** 15n;
  const multiplier = options.maxFeeMultiplier ?? 3n;
  const timeout = options.receiptTimeoutMs ?? 30_000;
  const cooldown = options.fundingCooldownMs ?? 24 * 3_600_000;
  const fundedAt = new Map<string, number>();
  const wait = async (hash: `0x${string}`, what: string) => {
    const receipt = await reader.waitForTransactionReceipt({ hash, timeout });
    if (receipt.status !== "success") throw new Error(`${R.Erc20ApprovalTxFailed}: ${what} ${hash} reverted`);
  };

  async function sponsorApproval(serialized: `0x${string}`): Promise<`0x${string}`> {
    const tx = parseTransaction(serialized as TransactionSerialized);
    const payer = await recoverTransactionAddress({
      serializedTransaction: serialized as TransactionSerialized,
    });
    const fee = tx.maxFeePerGas ?? tx.gasPrice ?? 0n;
    const [nonce, balance, estimate] = await Promise.all([
      reader.getTransactionCount({ address: payer, blockTag: "pending" }),
      reader.getBalance({ address: payer }),
      reader.estimateFeesPerGas().catch(() => ({ maxFeePerGas: fee })),
    ]);
    if (tx.nonce !== nonce)
      throw new Error(
        `${R.Erc20ApprovalTxFailed}: approval nonce ${tx.nonce} is not the payer's next nonce ${nonce}`,
      );
    const ceiling = (estimate.maxFeePerGas ?? fee) * multiplier;
    if (fee > ceiling)
      throw new Error(`${R.Erc20ApprovalTxFailed}: approval fee ${fee} exceeds ${ceiling} wei/gas`);
    const cost = (tx.gas ?? 0n) * fee + (tx.value ?? 0n);
    const deficit = cost > balance ? cost - balance : 0n;
    if (deficit > maxFunding)
      throw new Error(
        `${R.Erc20ApprovalTxFailed}: the approval needs ${deficit} wei of funding, above ${maxFunding}`,
      );
    if (deficit > 0n) {
      const key = payer.toLowerCase();
      const last = fundedAt.get(key);
      if (last !== undefined && Date.now() - last < cooldown)
        throw new Error(
          `${R.Erc20ApprovalTxFailed}: ${payer} was already funded for an approval; it pays its own gas now`,
        );
      fundedAt.set(key, Date.now());
      await wait(
        await walletClient.sendTransaction({ account, chain, to: payer, value: deficit }),
        "funding",
      );
    }
    const hash = await reader.sendRawTransaction({
      serializedTransaction: serialized as TransactionSerialized,
    });
    await wait(hash, "approval");
    return hash;
  }

  return {
    getAddresses: () => [account.address],
    readContract: (args) => reader.readContract(args as never),
    verifyTypedData: (args) => reader.verifyTypedData(args as never),
    writeContract: (args) => walletClient.writeContract({ ...args, account, chain } as never),
    sendTransaction: ({ to, data }) => walletClient.sendTransaction({ account, chain, to, data }),
    waitForTransactionReceipt: ({ hash }) => reader.waitForTransactionReceipt({ hash, timeout }),
    getCode: ({ address }) => reader.getCode({ address }),
    async sendTransactions(transactions: TransactionRequest[]) {
      const hashes: `0x${string}`[] = [];
      for (const tx of transactions)
        hashes.push(
          typeof tx === "string"
            ? await sponsorApproval(tx)
            : await walletClient.sendTransaction({
                account,
                chain,
                to: tx.to,
                data: tx.data,
                ...(tx.gas ? { gas: tx.gas } : {}),
              }),
        );
      return hashes;
    },
  };
}
