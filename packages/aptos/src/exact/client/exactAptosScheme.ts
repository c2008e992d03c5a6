import {
  AccountAddress,
  type Aptos,
  AptosApiError,
  ChainId,
  RawTransaction,
  SimpleTransaction,
} from "@aptos-labs/ts-sdk";
import type { PaymentPayloadResult, PaymentRequirements, SchemeClient } from "@x402kit/core";
import { X402Error } from "@x402kit/core";
import { createAptosClient } from "../../aptosClient.js";
import { APTOS_ADDRESS_REGEX, DEFAULT_CLIENT_MAX_GAS_AMOUNT } from "../../constants.js";
import { findDefaultAsset } from "../../defaultAssets.js";
import { getAptosChainId, getAptosRpcUrl } from "../../networks.js";
import { type ExactAptosPayload, encodeAptosPayload } from "../../payload.js";
import { transferPayload } from "../transferPayload.js";
import type { ClientAptosConfig, ClientAptosSigner } from "./signer.js";

const U64_MAX = (1n << 64n) - 1n;

/**
 * Client side of scheme `exact` on Aptos: builds the fungible-asset transfer
 * `0x1::primary_fungible_store::transfer` to `payTo`, sponsored by `extra.feePayer` when the
 * requirement names one (the fee payer address is set before signing, as the official client
 * does), signs it as sender and sends `{ transaction }` in the official encoding. Reads the
 * sender's sequence number (and the gas price estimate unless configured) from the node; a
 * sponsored sender the node does not know yet uses 0 (the fee payer creates its account), as
 * the SDK does.
 *
 * @example
 * ```ts
 * const client = new x402Client().register("aptos:*", new ExactAptosScheme(Account.generate()));
 * ```
 */
export class ExactAptosScheme implements SchemeClient {
  readonly scheme = "exact";
  private readonly gasPrices = new Map<string, { price: bigint; expires: number }>();

  constructor(
    private readonly signer: ClientAptosSigner,
    private readonly config: ClientAptosConfig = {},
  ) {}

  /** USD assets of the network table, for spend controls. */
  findDefaultAsset(asset: string, network: string) {
    return findDefaultAsset(asset, network);
  }

  async createPaymentPayload(
    x402Version: number,
    requirements: PaymentRequirements,
  ): Promise<PaymentPayloadResult> {
    const { asset, payTo, amount, network } = requirements;
    if (typeof asset !== "string" || !APTOS_ADDRESS_REGEX.test(asset))
      throw new X402Error("invalid_payment_requirements", "asset must be a long-form Aptos address");
    if (typeof payTo !== "string" || !APTOS_ADDRESS_REGEX.test(payTo))
      throw new X402Error("invalid_payment_requirements", "payTo must be a long-form Aptos address");
    if (typeof amount !== "string" || !/^\d{1,20}$/.test(amount) || BigInt(amount) > U64_MAX)
      throw new X402Error("invalid_payment_requirements", "amount must be a u64 in decimal digits");
    const feePayer = requirements.extra?.feePayer;
    if (
      feePayer !== undefined &&
      (typeof feePayer !== "string" || !AccountAddress.isValid({ input: feePayer }).valid)
    )
      throw new X402Error("invalid_payment_requirements", "extra.feePayer must be an Aptos address");

    const chainId = getAptosChainId(network);
    const nodeUrl = this.config.rpcUrls?.[network] ?? this.config.rpcUrl ?? getAptosRpcUrl(network);
    const aptos = createAptosClient(network, nodeUrl);
    const sender = this.signer.accountAddress;
    const [sequenceNumber, gasUnitPrice] = await Promise.all([
      sequenceNumberOf(aptos, sender, typeof feePayer === "string"),
      this.config.gasUnitPrice === undefined
        ? this.gasEstimate(nodeUrl)
        : Promise.resolve(BigInt(this.config.gasUnitPrice)),
    ]);
    const raw = new RawTransaction(
      sender,
      sequenceNumber,
      transferPayload(asset, payTo, BigInt(amount)),
      BigInt(this.config.maxGasAmount ?? DEFAULT_CLIENT_MAX_GAS_AMOUNT),
      gasUnitPrice,
      BigInt(Math.floor(Date.now() / 1000) + this.lifetime(requirements.maxTimeoutSeconds)),
      new ChainId(chainId),
    );
    const transaction = new SimpleTransaction(
      raw,
      typeof feePayer === "string" ? AccountAddress.from(feePayer) : undefined,
    );
    const senderAuthenticator = this.signer.signTransactionWithAuthenticator(transaction);
    const payload: ExactAptosPayload = {
      transaction: encodeAptosPayload(transaction.bcsToBytes(), senderAuthenticator.bcsToBytes()),
    };
    return { x402Version, payload: { ...payload } };
  }

  /**
   * The node's gas price estimate, cached a minute per node URL (the SDK caches it per network
   * *name*, so two local networks in one process would share one).
   */
  private async gasEstimate(nodeUrl: string): Promise<bigint> {
    const cached = this.gasPrices.get(nodeUrl);
    if (cached && cached.expires > Date.now()) return cached.price;
    const response = await fetch(`${nodeUrl.replace(/\/+$/, "")}/estimate_gas_price`);
    const body = (await response.json().catch(() => undefined)) as { gas_estimate?: unknown } | undefined;
    if (!response.ok || typeof body?.gas_estimate !== "number")
      throw new X402Error(
        "payment_creation_failed",
        `no gas price estimate from ${nodeUrl} (HTTP ${response.status})`,
      );
    const price = BigInt(body.gas_estimate);
    this.gasPrices.set(nodeUrl, { price, expires: Date.now() + 60_000 });
    return price;
  }

  /** Seconds the transaction stays valid: configured or 60, within `maxTimeoutSeconds` when that allows ≥ 10. */
  private lifetime(maxTimeoutSeconds: unknown): number {
    const wanted = this.config.expirationSeconds ?? 60;
    return typeof maxTimeoutSeconds === "number" && maxTimeoutSeconds >= 10
      ? Math.min(wanted, maxTimeoutSeconds)
      : wanted;
  }
}

/** The sender's sequence number; 0 for a sponsored sender without an account yet (HTTP 404). */
async function sequenceNumberOf(aptos: Aptos, sender: AccountAddress, sponsored: boolean): Promise<bigint> {
  try {
    return BigInt((await aptos.getAccountInfo({ accountAddress: sender })).sequence_number);
  } catch (error) {
    if (sponsored && error instanceof AptosApiError && error.status === 404) return 0n;
    throw error;
  }
}
