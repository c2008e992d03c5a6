import {
  type Address,
  type Chain,
  getContractAddress,
  type Hash,
  type Hex,
  type PublicClient,
  type Transport,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { DevAccount } from "./accounts.js";

/** One transaction from the deployer: a contract creation when `to` is absent. */
export interface DeployerTransaction {
  to?: Address;
  data: Hex;
  /** Fixed gas, so nothing is estimated against state that earlier queued transactions will change. */
  gas: bigint;
}

/** A broadcast (not yet mined) deployer transaction. */
export interface SentTransaction {
  hash: Hash;
  /** The address a contract creation deploys to. */
  contractAddress?: Address;
}

/** Sends the deployer's transactions with nonces it counts itself. */
export interface DeployerSender {
  /** Signs and broadcasts `tx`; resolves once the node accepted it (not mined). */
  send(tx: DeployerTransaction): Promise<SentTransaction>;
  /** Waits for `hash` and throws if it reverted. */
  confirm(hash: Hash, what: string): Promise<void>;
}

/**
 * Sends the deployer's startup and helper transactions one after another without waiting for
 * receipts in between: nonces are assigned in call order (the higher of the local count and the
 * node's pending count), so concurrent `mint` calls never collide, transactions the deployer sent
 * through other clients are respected, and startup costs two round trips per transaction.
 *
 * @example
 * const sender = await createDeployerSender(publicClient, accounts.deployer);
 * const { hash } = await sender.send({ to: token, data, gas: 100_000n });
 * await sender.confirm(hash, "mint");
 */
export async function createDeployerSender(
  publicClient: PublicClient<Transport, Chain>,
  deployer: DevAccount,
): Promise<DeployerSender> {
  const account = privateKeyToAccount(deployer.privateKey);
  let nonce = 0;
  const fees = await publicClient.estimateFeesPerGas();
  // Headroom: anvil's base fee only falls while the devnet runs idle, but a busy test may raise it.
  const maxFeePerGas = fees.maxFeePerGas * 4n;
  const maxPriorityFeePerGas = fees.maxPriorityFeePerGas;
  let queue: Promise<unknown> = Promise.resolve();

  const send = (tx: DeployerTransaction): Promise<SentTransaction> => {
    const sent = queue.then(async () => {
      // Someone may have sent from the deployer with another client meanwhile: never reuse a nonce.
      const pending = await publicClient.getTransactionCount({
        address: account.address,
        blockTag: "pending",
      });
      nonce = Math.max(nonce, pending);
      const serialized = await account.signTransaction({
        type: "eip1559",
        chainId: publicClient.chain.id,
        nonce,
        to: tx.to,
        data: tx.data,
        gas: tx.gas,
        maxFeePerGas,
        maxPriorityFeePerGas,
      });
      const hash = await publicClient.sendRawTransaction({ serializedTransaction: serialized });
      const contractAddress =
        tx.to === undefined ? getContractAddress({ from: account.address, nonce: BigInt(nonce) }) : undefined;
      nonce += 1;
      return { hash, contractAddress };
    });
    // A failed send (e.g. node gone) must not wedge later sends; they fail on their own.
    queue = sent.catch(() => undefined);
    return sent;
  };

  const confirm = async (hash: Hash, what: string): Promise<void> => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`${what} reverted (tx ${hash})`);
  };

  return { send, confirm };
}
