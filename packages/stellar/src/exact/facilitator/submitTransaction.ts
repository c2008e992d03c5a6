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
import type { SimulatedTransfer } from "./checkSimulation.js";
import type { CheckedTransaction, Refusal } from "./checkTransaction.js";

/** Where a settlement transaction is recorded before it is sent. */
export interface SubmissionRecorder {
  /**
   * Record the signed envelope, its hash, its time bound (unix seconds) and its source account
   * BEFORE it is sent: if this throws, nothing is sent.
   */
  write(sent: { hash: string; envelope: string; maxTime: number; source: string }): Promise<void>;
  /** The network refused the envelope (it can never land): forget it. */
  discard(): Promise<void>;
}

/** What submitting needs besides the payment. */
export interface SubmitOptions {
  server: rpc.Server;
  signer: FacilitatorStellarSigner;
  feeBumpSigner?: FacilitatorStellarSigner;
  timeoutSeconds: number;
  sequences: SequenceTracker;
  recorder: SubmissionRecorder;
}

type Attempt = { hash: string; answerLost?: boolean } | { refusal: Refusal; badSequence?: boolean };

/**
 * Rebuild the client's invocation as the facilitator's own transaction (source and fee
 * source: the facilitator; the Soroban resources of the facilitator's simulation; fees from
 * {@link settlementFees}; the client's memo and the operation with its signed auth entries
 * unchanged; time bounds now + timeout), sign it, optionally wrap it in a fee bump, record it,
 * and submit it. Returns the hash of a submission that may land (accepted, or its answer lost)
 * or why it was not sent or not accepted. A bad sequence number (top level or inside a fee
 * bump) reloads the account's number and tries once more. The client's other preconditions
 * (ledger bounds, minimum sequence, extra signers) are not copied: they could make the
 * facilitator's transaction fail after paying its fee.
 */
export async function submitTransaction(
  checked: CheckedTransaction,
  simulated: SimulatedTransfer,
  options: SubmitOptions,
): Promise<{ hash: string } | Refusal> {
  const { server, signer, sequences } = options;
  const { sorobanData, fees } = simulated;
  // The builder adds the resource fee to the `fee` it is given (the inclusion fee).
  const inclusion = fees.innerFee - BigInt(sorobanData.resourceFee().toString());
  return sequences.run(signer.address, server, async (sequence): Promise<Attempt> => {
    const built = new TransactionBuilder(new Account(signer.address, sequence), {
      fee: inclusion.toString(),
      networkPassphrase: checked.networkPassphrase,
      memo: checked.transaction.memo,
      sorobanData,
    })
      .setTimeout(options.timeoutSeconds)
      .addOperation(
        Operation.invokeHostFunction({
          func: checked.invokeOp.hostFunction(),
          auth: checked.invokeOp.auth(),
        }),
      )
      .build();
    const maxTime = Number(built.timeBounds?.maxTime ?? 0);
    let envelope: Transaction | FeeBumpTransaction;
    try {
      const { signedTxXdr } = await signer.signTransaction(built.toXDR(), {
        networkPassphrase: checked.networkPassphrase,
      });
      envelope = TransactionBuilder.fromXDR(signedTxXdr, checked.networkPassphrase);
    } catch (error) {
      return { refusal: refuse(R.SigningFailed, `signing failed: ${describeError(error)}`, checked.from) };
    }
    if (options.feeBumpSigner && fees.bumpRate !== undefined) {
      try {
        const bump = TransactionBuilder.buildFeeBumpTransaction(
          options.feeBumpSigner.address,
          fees.bumpRate.toString(),
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
    const hash = envelope.hash().toString("hex");
    try {
      await options.recorder.write({
        hash,
        envelope: envelope.toXDR(),
        maxTime,
        source: signer.address,
      });
    } catch (error) {
      return {
        refusal: refuse(
          R.UnexpectedSettleError,
          `not sent: the settlement could not be recorded (${describeError(error)})`,
          checked.from,
        ),
      };
    }
    let sent: Awaited<ReturnType<rpc.Server["sendTransaction"]>>;
    try {
      sent = await server.sendTransaction(envelope);
    } catch {
      // The answer is lost, not the transaction: it may land. The record lets settle follow it.
      return { hash, answerLost: true };
    }
    if (sent.status === "PENDING" || sent.status === "DUPLICATE") return { hash };
    await options.recorder.discard().catch(() => undefined);
    const codes = resultCodes(sent.errorResult);
    return {
      refusal: refuse(
        R.SubmissionFailed,
        `the network refused the transaction (${sent.status}${codes.length ? ` ${codes.join("/")}` : ""})`,
        checked.from,
      ),
      badSequence: codes.includes("txBadSeq"),
    };
  });
}

/**
 * The result code, and the inner transaction's under a fee bump.
 *
 * @example
 * ```ts
 * resultCodes(sent.errorResult); // ["txFeeBumpInnerFailed", "txBadSeq"]
 * ```
 */
export function resultCodes(result: xdr.TransactionResult | undefined): string[] {
  if (!result) return [];
  const outer = result.result();
  const codes = [outer.switch().name];
  if (outer.switch().name === "txFeeBumpInnerFailed" || outer.switch().name === "txFeeBumpInnerSuccess")
    codes.push(outer.innerResultPair().result().result().switch().name);
  return codes;
}

/**
 * The next sequence number of each facilitator account, kept locally so concurrent settlements
 * from one account get consecutive numbers: submissions from one account are serialised (each
 * holds the account only while it builds, signs and submits). A bad sequence answer (top level
 * or inside a fee bump) reloads the number from the RPC and the submission is tried once more;
 * {@link SequenceTracker.forget} reloads it next time (an answer lost, a transaction that
 * expired unseen). One tracker per process: share a signer account between instances only with
 * separate accounts per instance.
 *
 * @example
 * ```ts
 * const sequences = new SequenceTracker();
 * ```
 */
export class SequenceTracker {
  private readonly next = new Map<string, bigint>();
  private readonly locks = new Map<string, Promise<unknown>>();

  /** Reload the account's number from the RPC before its next submission. */
  forget(address: string): void {
    this.next.delete(address);
  }

  /** Run `submit` with the account's next sequence number (as the SDK's `Account` wants it: the current one). */
  async run(
    address: string,
    server: rpc.Server,
    submit: (sequence: string) => Promise<Attempt>,
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
      for (let attempt = 0; ; attempt++) {
        let current = this.next.get(address);
        if (current === undefined) current = BigInt((await server.getAccount(address)).sequenceNumber());
        const result = await submit(current.toString());
        if ("hash" in result) {
          // Whether a lost answer's transaction took the number is unknown: reload it next time.
          if (result.answerLost) this.next.delete(address);
          else this.next.set(address, current + 1n);
          return { hash: result.hash };
        }
        if (!result.badSequence) return result.refusal;
        this.next.delete(address);
        if (attempt >= 1) return result.refusal;
      }
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
