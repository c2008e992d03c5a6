import { decodeFunctionResult, encodeFunctionData } from "viem";
import { MULTICALL3_ADDRESS, multicall3Abi } from "../../abi.js";
import type { EvmCallResult, FacilitatorEvmSigner } from "./signer.js";

/**
 * One `eth_call` to batch: a transfer simulation whose `payer` is read and debited and whose
 * `payee` is credited.
 */
export interface BatchedCall {
  to: `0x${string}`;
  data: `0x${string}`;
  payer: string;
  payee: string;
}

interface Pending extends BatchedCall {
  resolve(result: EvmCallResult): void;
  reject(error: unknown): void;
}

const MAX_BATCH = 64;
const MAX_IN_FLIGHT = 2;
const MULTICALL_RECHECK_MS = 15 * 60_000;

/**
 * Batches the simulations of concurrent verifications into one Multicall3 `aggregate3`
 * `eth_call` per event-loop turn, so a facilitator under load sends one RPC call for many
 * verifications. Inside one `eth_call` the calls run one after another on the same state,
 * so a batch never holds two payments of one payer (the second would see the first's debit and
 * nonce) nor a payment whose payer another one credits; payments to a common payee do share
 * batches (a credit changes nothing another check reads). Without Multicall3 on the chain, or for a batch
 * of one, each call is a plain `eth_call`.
 *
 * @example
 * ```ts
 * const result = await callBatcherFor(signer).call({ to: asset, data, payer: from, payee: to });
 * ```
 */
export class CallBatcher {
  private queue: Pending[] = [];
  private scheduled = false;
  private inFlight = 0;
  private multicallCheckedAt = -Infinity;
  private multicall: Promise<boolean> = Promise.resolve(false);

  constructor(private readonly signer: FacilitatorEvmSigner) {}

  /** Queue a call; resolves with its own outcome (a revert of one call does not affect others). */
  call(request: BatchedCall): Promise<EvmCallResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ ...request, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= MAX_IN_FLIGHT || this.queue.length === 0) return;
    this.scheduled = true;
    const run = () => {
      this.scheduled = false;
      void this.flush();
    };
    if (typeof setImmediate === "function") setImmediate(run);
    else setTimeout(run, 0);
  }

  private async flush(): Promise<void> {
    const batch: Pending[] = [];
    const rest: Pending[] = [];
    const payers = new Set<string>();
    const payees = new Set<string>();
    for (const item of this.queue) {
      const payer = item.payer.toLowerCase();
      const payee = item.payee.toLowerCase();
      if (batch.length < MAX_BATCH && !payers.has(payer) && !payees.has(payer) && !payers.has(payee)) {
        batch.push(item);
        payers.add(payer);
        payees.add(payee);
      } else rest.push(item);
    }
    this.queue = rest;
    this.inFlight++;
    try {
      await this.send(batch);
    } finally {
      this.inFlight--;
      this.schedule();
    }
  }

  private async send(batch: Pending[]): Promise<void> {
    if (batch.length > 1 && (await this.hasMulticall())) {
      const results = await this.aggregate(batch).catch(() => undefined);
      if (results) {
        for (const [index, item] of batch.entries()) item.resolve(results[index] as EvmCallResult);
        return;
      }
    }
    await Promise.all(
      batch.map((item) => this.signer.call({ to: item.to, data: item.data }).then(item.resolve, item.reject)),
    );
  }

  private async aggregate(batch: Pending[]): Promise<EvmCallResult[] | undefined> {
    const calls = batch.map(({ to, data }) => ({ target: to, allowFailure: true, callData: data }));
    const result = await this.signer.call({
      to: MULTICALL3_ADDRESS,
      data: encodeFunctionData({ abi: multicall3Abi, functionName: "aggregate3", args: [calls] }),
    });
    if (!result.ok) return undefined;
    const decoded = decodeFunctionResult({
      abi: multicall3Abi,
      functionName: "aggregate3",
      data: result.data,
    });
    if (decoded.length !== batch.length) return undefined;
    return decoded.map(({ success, returnData }) =>
      success
        ? { ok: true, data: returnData }
        : { ok: false, revert: `execution reverted — data: ${returnData}` },
    );
  }

  /** Multicall3 deployed? Checked again every 15 minutes (a chain may gain it). */
  private hasMulticall(): Promise<boolean> {
    if (Date.now() - this.multicallCheckedAt > MULTICALL_RECHECK_MS) {
      this.multicallCheckedAt = Date.now();
      this.multicall = this.signer
        .getCode(MULTICALL3_ADDRESS)
        .then((code) => !!code && code !== "0x")
        .catch(() => {
          this.multicallCheckedAt = -Infinity;
          return false;
        });
    }
    return this.multicall;
  }
}

const batchers = new WeakMap<FacilitatorEvmSigner, CallBatcher>();

/**
 * The {@link CallBatcher} of a signer (one per signer, so every verification through it shares batches).
 *
 * @example
 * ```ts
 * await callBatcherFor(signer).call({ to, data, payer: from, payee: to });
 * ```
 */
export function callBatcherFor(signer: FacilitatorEvmSigner): CallBatcher {
  let batcher = batchers.get(signer);
  if (!batcher) {
    batcher = new CallBatcher(signer);
    batchers.set(signer, batcher);
  }
  return batcher;
}
