import { type CheckResult, fail } from "@x402kit/core";
import { type KeyValueStore, MemoryStore } from "@x402kit/core/storage";
import {
  type Account,
  type Chain,
  encodeFunctionData,
  type PublicClient,
  parseTransaction,
  publicActions,
  recoverTransactionAddress,
  type TransactionSerialized,
  type Transport,
  type WalletClient,
} from "viem";
import type { FacilitatorEvmSigner } from "../exact/facilitator/signer.js";
import { toFacilitatorEvmSigner } from "../exact/facilitator/viemSigner.js";
import { Permit2Reason as R } from "../permit2/reasons.js";
import type { Erc20ApprovalGasSponsoringSigner, TransactionRequest } from "./erc20Approval.js";
import { SponsorLimits } from "./sponsorLimits.js";

/**
 * Limits of {@link createErc20ApprovalSponsorSigner}: the most the facilitator gives away.
 *
 * @example
 * ```ts
 * const options: Erc20ApprovalSponsorOptions = { maxFundingWei: 10n ** 15n, budgetWei: 10n ** 17n, store };
 * ```
 */
export interface Erc20ApprovalSponsorOptions {
  /** Most ETH sent to one payer to pay for its approval. Default 0.001 ETH (10^15 wei). */
  maxFundingWei?: bigint;
  /** An approval's `maxFeePerGas` may be at most this multiple of the network's current estimate. Default 2. */
  maxFeeMultiplier?: bigint;
  /** How long to wait for the funding and approval receipts. Default 30 s. */
  receiptTimeoutMs?: number;
  /**
   * A payer is funded at most once in this time: a payer who spends the funding elsewhere
   * before its approval lands cannot be funded again and again. Default 24 h.
   */
  fundingCooldownMs?: number;
  /** All funding together stays within this many wei per {@link budgetWindowMs}. Default 0.1 ETH. */
  budgetWei?: bigint;
  /** The window of {@link budgetWei}. Default 24 h. */
  budgetWindowMs?: number;
  /**
   * Where cooldowns and the spent budget live. Default: a {@link MemoryStore} of this signer.
   * Share the facilitator's durable store so a restart (or another instance) keeps them.
   */
  store?: KeyValueStore;
  /** Key prefix in {@link store}. Default `x402kit:evm:sponsor:<chainId>:`. */
  keyPrefix?: string;
}

/**
 * Where a sponsor's funding comes from: its own viem clients (a separate sponsor key is best),
 * or a facilitator signer (e.g. the settlement signer itself, so funding shares its nonce
 * manager instead of racing it) with a public client for reads.
 *
 * @example
 * ```ts
 * const source: Erc20ApprovalSponsorSource = { signer: settlementSigner, publicClient };
 * ```
 */
export type Erc20ApprovalSponsorSource =
  | { walletClient: WalletClient<Transport, Chain, Account>; publicClient?: PublicClient }
  | { signer: FacilitatorEvmSigner; publicClient: PublicClient };

/** The most gas a plain `approve` may ask for whatever the estimate (the official clients sign 70 000). */
const APPROVE_GAS_FLOOR = 70_000n;

/**
 * A {@link Erc20ApprovalGasSponsoringSigner} that broadcasts a payer's signed approval after
 * topping the payer up with the gas money it lacks. Before any funding, the approval must be
 * the payer's next nonce, ask at most `max(70 000, 1.25 × the node's estimate)` gas and a fee
 * at most `maxFeePerGas × maxFeeMultiplier` of the current estimate (no estimate: refused),
 * and the missing amount must fit `maxFundingWei`, the payer's cooldown and the window's
 * budget (both in `store`). Funding goes through a {@link FacilitatorEvmSigner} (its nonce
 * manager). Errors start with `erc20_approval_tx_failed`. {@link Erc20ApprovalGasSponsoringSigner.checkApproval}
 * answers the same checks without sending (verify uses it). Calls other than approvals are
 * sent through the funding signer (the schemes send only approvals here).
 *
 * Exposure: at most `maxFundingWei` per payer per `fundingCooldownMs`, at most `budgetWei`
 * per `budgetWindowMs`; the schemes sponsor only payers whose token balance covers the payment.
 *
 * @example
 * ```ts
 * const sponsor = createErc20ApprovalSponsorSigner({ walletClient: sponsorWallet, publicClient }, { store, budgetWei: 10n ** 17n });
 * facilitator.registerExtension(createErc20ApprovalGasSponsoringExtension(sponsor));
 * ```
 */
export function createErc20ApprovalSponsorSigner(
  source: Erc20ApprovalSponsorSource,
  options: Erc20ApprovalSponsorOptions = {},
): Erc20ApprovalGasSponsoringSigner {
  const funder =
    "signer" in source
      ? source.signer
      : toFacilitatorEvmSigner({
          walletClient: source.walletClient,
          ...(source.publicClient ? { publicClient: source.publicClient } : {}),
        });
  const reader =
    ("signer" in source ? source.publicClient : undefined) ??
    (source as { publicClient?: PublicClient }).publicClient ??
    ((source as { walletClient: WalletClient<Transport, Chain, Account> }).walletClient.extend(
      publicActions,
    ) as unknown as PublicClient);
  const maxFunding = options.maxFundingWei ?? 10n ** 15n;
  const multiplier = options.maxFeeMultiplier ?? 2n;
  const timeout = options.receiptTimeoutMs ?? 30_000;
  const limits = new SponsorLimits(options.store ?? new MemoryStore(), {
    cooldownMs: options.fundingCooldownMs ?? 24 * 3_600_000,
    budgetWei: options.budgetWei ?? 10n ** 17n,
    windowMs: options.budgetWindowMs ?? 24 * 3_600_000,
    prefix: options.keyPrefix ?? `x402kit:evm:sponsor:${funder.chainId}:`,
  });
  const refuse = (message: string): never => {
    throw new Error(`${R.Erc20ApprovalTxFailed}: ${message}`);
  };

  /** The payer and the wei it lacks to pay for `serialized`, or throws why it is not sponsored. */
  async function assess(serialized: `0x${string}`): Promise<{ payer: `0x${string}`; deficit: bigint }> {
    const tx = parseTransaction(serialized as TransactionSerialized);
    if (tx.type !== "eip1559" && tx.type !== "legacy") refuse(`a ${tx.type} transaction is not sponsored`);
    if (tx.chainId !== funder.chainId)
      refuse(`the approval is for chain ${tx.chainId}, this sponsor funds on ${funder.chainId}`);
    const payer = await recoverTransactionAddress({
      serializedTransaction: serialized as TransactionSerialized,
    });
    const fee = tx.maxFeePerGas ?? tx.gasPrice ?? 0n;
    const [nonce, balance, estimate, gas] = await Promise.all([
      reader.getTransactionCount({ address: payer, blockTag: "pending" }),
      reader.getBalance({ address: payer }),
      reader.estimateFeesPerGas().catch(() => undefined),
      tx.to
        ? reader.estimateGas({ account: payer, to: tx.to, data: tx.data ?? "0x" }).catch(() => undefined)
        : undefined,
    ]);
    if (tx.nonce !== nonce) refuse(`approval nonce ${tx.nonce} is not the payer's next nonce ${nonce}`);
    // Without the network's own fee estimate there is no bound on what the payer asks for.
    const current = estimate?.maxFeePerGas ?? estimate?.gasPrice;
    if (!current) refuse("the network fee estimate is unavailable; not sponsoring");
    const ceiling = (current as bigint) * multiplier;
    if (fee > ceiling) refuse(`approval fee ${fee} exceeds ${ceiling} wei/gas`);
    if (gas === undefined) refuse("the approval would fail (gas estimation reverted)");
    const gasCap = maxBig(APPROVE_GAS_FLOOR, ((gas as bigint) * 5n + 3n) / 4n);
    if ((tx.gas ?? 0n) > gasCap) refuse(`approval gas limit ${tx.gas} exceeds ${gasCap}`);
    const cost = (tx.gas ?? 0n) * fee + (tx.value ?? 0n);
    const deficit = cost > balance ? cost - balance : 0n;
    if (deficit > maxFunding) refuse(`the approval needs ${deficit} wei of funding, above ${maxFunding}`);
    return { payer, deficit };
  }

  const wait = async (hash: `0x${string}`, what: string) => {
    const receipt = await funder.waitForTransactionReceipt(hash, timeout);
    if (receipt.status !== "success") refuse(`${what} ${hash} reverted`);
  };

  async function sponsorApproval(serialized: `0x${string}`): Promise<`0x${string}`> {
    const { payer, deficit } = await assess(serialized);
    if (deficit > 0n) {
      const giveBack = await limits.reserve(payer, deficit);
      let hash: `0x${string}`;
      try {
        hash = await funder.sendTransaction({ to: payer, data: "0x", value: deficit });
      } catch (error) {
        await giveBack();
        throw error;
      }
      await wait(hash, "funding");
    }
    const hash = await reader.sendRawTransaction({
      serializedTransaction: serialized as TransactionSerialized,
    });
    await wait(hash, "approval");
    return hash;
  }

  return {
    getAddresses: () => [...(funder.addresses ?? [funder.address])],
    readContract: (args) => reader.readContract(args as never),
    verifyTypedData: (args) => reader.verifyTypedData(args as never),
    writeContract: (args) =>
      funder.sendTransaction({ to: args.address, data: encodeFunctionData(args as never) }),
    sendTransaction: ({ to, data }) => funder.sendTransaction({ to, data }),
    waitForTransactionReceipt: ({ hash }) => funder.waitForTransactionReceipt(hash, timeout),
    getCode: ({ address }) => reader.getCode({ address }),
    async checkApproval(serialized): Promise<CheckResult> {
      try {
        const { payer, deficit } = await assess(serialized);
        const problem = deficit > 0n ? await limits.problem(payer, deficit) : undefined;
        return problem ? fail(R.Erc20ApprovalTxFailed, problem) : { ok: true, value: undefined };
      } catch (error) {
        return fail(R.Erc20ApprovalTxFailed, error instanceof Error ? error.message : String(error));
      }
    },
    async sendTransactions(transactions: TransactionRequest[]) {
      const hashes: `0x${string}`[] = [];
      for (const tx of transactions)
        hashes.push(
          typeof tx === "string"
            ? await sponsorApproval(tx)
            : await funder.sendTransaction({ to: tx.to, data: tx.data }),
        );
      return hashes;
    },
  };
}

const maxBig = (a: bigint, b: bigint) => (a > b ? a : b);
