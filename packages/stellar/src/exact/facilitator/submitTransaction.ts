import type { rpc } from "@stellar/stellar-sdk";
import {
  Account,
  type FeeBumpTransaction,
  Operation,
  type Transaction,
  TransactionBuilder,
  type xdr,
} from "@stellar/stellar-sdk";
import { describeError } from "@x402kit/core";
import { ExactStellarReason as R } from "../../reasons.js";
import type { FacilitatorStellarSigner } from "../../signer.js";
import type { CheckedTransaction, Refusal } from "./checkTransaction.js";

/** What submitting needs besides the payment. */
export interface SubmitOptions {
  server: rpc.Server;
  signer: FacilitatorStellarSigner;
  feeBumpSigner?: FacilitatorStellarSigner;
  maxFeeStroops: number;
  timeoutSeconds: number;
  sequences: SequenceTracker;
}

/**
 * Rebuild the client's invocation as the facilitator's own transaction (source and fee
 * source: the facilitator; fee: the client's, capped by the bound; the client's Soroban
 * resources, memo and the operation with its signed auth entries unchanged; time bounds now +
 * timeout), sign it, optionally wrap it in a fee bump, and submit it. Returns the hash of an
 * accepted submission or why it was not accepted. The client's other preconditions
 * (ledger bounds, minimum sequence, extra signers) are not copied: they could make the
 * facilitator's transaction fail after paying its fee.
 */
export async function submitTransaction(
  checked: CheckedTransaction,
  options: SubmitOptions,
): Promise<{ hash: string } | Refusal> {
  const { server, signer, sequences } = options;
  const fee = checked.fee < BigInt(options.maxFeeStroops) ? checked.fee : BigInt(options.maxFeeStroops);
  // The builder adds the resource fee to the `fee` it is given (the inclusion fee): pass the
  // rest, so the transaction's total fee is `fee`, never more. checkTransaction made sure it
  // leaves at least the minimum inclusion fee.
  const inclusion = fee - BigInt(checked.sorobanData.resourceFee().toString());
  return sequences.run(signer.address, server, async (sequence) => {
    const builder = new TransactionBuilder(new Account(signer.address, sequence), {
      fee: inclusion.toString(),
      networkPassphrase: checked.networkPassphrase,
      memo: checked.transaction.memo,
      sorobanData: checked.sorobanData,
    })
      .setTimeout(options.timeoutSeconds)
      .addOperation(
        Operation.invokeHostFunction({
          func: checked.invokeOp.hostFunction(),
          auth: checked.invokeOp.auth(),
        }),
      );
    let envelope: Transaction | FeeBumpTransaction;
    try {
      const { signedTxXdr } = await signer.signTransaction(builder.build().toXDR(), {
        networkPassphrase: checked.networkPassphrase,
      });
      envelope = TransactionBuilder.fromXDR(signedTxXdr, checked.networkPassphrase);
    } catch (error) {
      return { refusal: refuse(R.SigningFailed, `signing failed: ${describeError(error)}`, checked.from) };
    }
    if (options.feeBumpSigner) {
      try {
        // The bump's rate is the inner inclusion fee: it costs one inclusion fee more than the
        // inner transaction (passing the whole fee as the rate would pay it twice).
        const bump = TransactionBuilder.buildFeeBumpTransaction(
          options.feeBumpSigner.address,
          inclusion.toString(),
          envelope as Transaction,
          checked.networkPassphrase,
        );
        const { signedTxXdr } = await options.feeBumpSigner.signTransaction(bump.toXDR(), {
          networkPassphrase: checked.networkPassphrase,
        });
        envelope = TransactionBuilder.fromXDR(signedTxXdr, checked.networkPassphrase) as FeeBumpTransaction;
      } catch (error) {
        return {
          refusal: refuse(
            R.FeeBumpSigningFailed,
            `fee bump signing failed: ${describeError(error)}`,
            checked.from,
          ),
        };
      }
    }
    const sent = await server.sendTransaction(envelope);
    if (sent.status === "PENDING" || sent.status === "DUPLICATE") return { hash: sent.hash };
    const code = sent.errorResult?.result().switch().name;
    return {
      refusal: refuse(
        R.SubmissionFailed,
        `the network refused the transaction (${sent.status}${code ? ` ${code}` : ""})`,
        checked.from,
      ),
      badSequence: code === "txBadSeq",
    };
  });
}

/**
 * The next sequence number of each facilitator account, kept locally so concurrent settlements
 * from one account get consecutive numbers: submissions from one account are serialised (each
 * holds the account only while it builds, signs and submits), and a `txBadSeq` answer reloads
 * the number from the RPC. One tracker per process: share a signer account between instances
 * only with a fee-bump signer per instance or separate accounts.
 *
 * @example
 * ```ts
 * const sequences = new SequenceTracker();
 * ```
 */
export class SequenceTracker {
  private readonly next = new Map<string, bigint>();
  private readonly locks = new Map<string, Promise<unknown>>();

  /** Run `submit` with the account's next sequence number (as the SDK's `Account` wants it: the current one). */
  async run(
    address: string,
    server: rpc.Server,
    submit: (sequence: string) => Promise<{ hash: string } | { refusal: Refusal; badSequence?: boolean }>,
  ): Promise<{ hash: string } | Refusal> {
    const previous = this.locks.get(address) ?? Promise.resolve();
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const chain = previous.then(() => held);
    this.locks.set(address, chain);
    await previous;
    try {
      let current = this.next.get(address);
      if (current === undefined) {
        current = BigInt((await server.getAccount(address)).sequenceNumber());
      }
      const result = await submit(current.toString());
      if ("hash" in result) {
        this.next.set(address, current + 1n);
        return { hash: result.hash };
      }
      if (result.badSequence) this.next.delete(address);
      return result.refusal;
    } catch (error) {
      this.next.delete(address);
      return refuse(R.SubmissionFailed, `submission failed: ${describeError(error)}`);
    } finally {
      release();
      if (this.locks.get(address) === chain) this.locks.delete(address);
    }
  }
}

/** The contract events of a transaction's result meta (v3 and v4). */
export function contractEventsOf(meta: xdr.TransactionMeta): xdr.ContractEvent[] {
  switch (meta.switch()) {
    case 3:
      return meta.v3().sorobanMeta()?.events() ?? [];
    case 4:
      return meta
        .v4()
        .operations()
        .flatMap((op) => op.events());
    default:
      return [];
  }
}

function refuse(reason: string, message: string, payer?: string): Refusal {
  return { reason, message, ...(payer ? { payer } : {}) };
}
