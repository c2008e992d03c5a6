import type { TransactionSigner } from "@solana/kit";
import type {
  DefaultAsset,
  PaymentPayloadContext,
  PaymentPayloadResult,
  PaymentRequirements,
  SchemeClient,
} from "@x402kit/core";
import { X402Error } from "@x402kit/core";
import { findDefaultAsset } from "../../defaultAssets.js";
import { tryNormalizeNetwork } from "../../network.js";
import { createRpcClient, type SvmRpc } from "../../rpc.js";
import { buildTransferTransaction, type TransferRequest } from "./buildTransfer.js";
import type { MintInfo } from "./mintInfo.js";

/**
 * The payer's wallet: any kit `TransactionSigner` (a `KeyPairSigner`, a wallet adapter).
 *
 * @example
 * ```ts
 * const signer: ClientSvmSigner = await createKeyPairSignerFromBytes(secretKey);
 * ```
 */
export type ClientSvmSigner = TransactionSigner;

/**
 * Client RPC settings: a custom endpoint (a local chain, a paid provider).
 *
 * @example
 * ```ts
 * const config: ClientSvmConfig = { rpcUrl: "http://127.0.0.1:8899" };
 * ```
 */
export interface ClientSvmConfig {
  rpcUrl?: string;
}

/**
 * Identity helper of the official API: a kit signer is already a client signer.
 *
 * @example
 * ```ts
 * const signer = toClientSvmSigner(await createKeyPairSignerFromBytes(secretKey));
 * ```
 */
export function toClientSvmSigner(signer: ClientSvmSigner): ClientSvmSigner {
  return signer;
}

/** Shared by the v1 and v2 client schemes: one RPC client per network, one mint lookup per mint. */
export class SvmTransferBuilder {
  private readonly rpcs = new Map<string, SvmRpc>();
  private readonly mints = new Map<string, Promise<MintInfo>>();

  constructor(
    private readonly signer: ClientSvmSigner,
    private readonly config?: ClientSvmConfig,
  ) {}

  /** The base64 transaction paying `request`. */
  async build(request: TransferRequest): Promise<string> {
    const network = tryNormalizeNetwork(request.network);
    if (!network)
      throw new X402Error("invalid_payment_requirements", `"${request.network}" is not a Solana network`);
    let rpc = this.rpcs.get(network);
    if (!rpc) {
      rpc = createRpcClient(network, this.config?.rpcUrl);
      this.rpcs.set(network, rpc);
    }
    return buildTransferTransaction(this.signer, rpc, this.mints, { ...request, network });
  }
}

/**
 * Client side of scheme `exact` on Solana (x402 v2): builds a TransferChecked of exactly
 * `amount` to `payTo`'s associated token account, with the facilitator (`extra.feePayer`) as
 * fee payer, and signs it as the payer. The facilitator co-signs and sends it.
 *
 * @example
 * ```ts
 * const client = new x402Client().register("solana:*", new ExactSvmScheme(signer, { rpcUrl }));
 * ```
 */
export class ExactSvmScheme implements SchemeClient {
  readonly scheme = "exact";
  private readonly builder: SvmTransferBuilder;

  constructor(signer: ClientSvmSigner, config?: ClientSvmConfig) {
    this.builder = new SvmTransferBuilder(signer, config);
  }

  /**
   * Sign a payment for one `accepts[]` entry.
   *
   * @throws {X402Error} `invalid_payment_requirements` for requirements it cannot pay.
   */
  async createPaymentPayload(
    x402Version: number,
    requirements: PaymentRequirements,
    _context?: PaymentPayloadContext,
  ): Promise<PaymentPayloadResult> {
    const transaction = await this.builder.build({
      network: requirements.network,
      asset: requirements.asset,
      payTo: requirements.payTo,
      amount: requirements.amount,
      extra: requirements.extra ?? undefined,
    });
    return { x402Version, payload: { transaction } };
  }

  /** The network's USDC (spend controls price it in dollars). */
  findDefaultAsset = (asset: string, network: string): DefaultAsset | undefined =>
    findDefaultAsset(asset, network);
}
