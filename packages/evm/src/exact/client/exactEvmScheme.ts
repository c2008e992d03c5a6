import type {
  DefaultAsset,
  PaymentPayloadContext,
  PaymentPayloadResult,
  PaymentRequirements,
  SchemeClient,
} from "@x402kit/core";
import { X402Error } from "@x402kit/core";
import { findDefaultStablecoin } from "../../defaultAssets.js";
import { tryParseEvmNetwork } from "../../network.js";
import { transferWithAuthorizationTypedData } from "../../typedData.js";
import type { Eip3009Authorization, ExactEvmPayload } from "../payload.js";
import { toChecksumAddress } from "./address.js";
import { withChainAccess } from "./chainAccess.js";
import { gasSponsoringFor } from "./gasSponsoring.js";
import { signExactPermit2Payment } from "./permit2Payload.js";
import type { ClientEvmSigner } from "./signer.js";

type SignableTypedData = Parameters<ClientEvmSigner["signTypedData"]>[0];

/** RPC settings of an EVM client scheme on one chain (official name). */
export type EvmSchemeConfig = { rpcUrl?: string };
/** RPC settings per EVM chain id (official name). */
export type EvmSchemeConfigByChainId = Record<number, EvmSchemeConfig>;
/** RPC settings of an EVM client scheme: one for every chain, or one per chain id. */
export type EvmSchemeOptions = EvmSchemeConfig | EvmSchemeConfigByChainId;

/**
 * Client side of scheme `exact` on EVM chains: signs an EIP-3009
 * `TransferWithAuthorization` (the default) or, for `extra.assetTransferMethod: "permit2"`, a
 * Permit2 `PermitWitnessTransferFrom` for the exact proxy — for exactly `requirements.amount`,
 * valid until `now + maxTimeoutSeconds`, with a fresh random nonce. With Permit2, when the
 * server offers gas sponsoring and the payer's Permit2 allowance is short, it adds an EIP-2612
 * permit or a signed `approve(Permit2)` transaction. Nothing is sent on chain.
 *
 * @example
 * ```ts
 * import { privateKeyToAccount } from "viem/accounts";
 * const client = new x402Client().register("eip155:*", new ExactEvmScheme(privateKeyToAccount(key)));
 * ```
 */
export class ExactEvmScheme implements SchemeClient {
  readonly scheme = "exact";

  /**
   * @param signer the payer's wallet.
   * @param options RPC settings (`{ rpcUrl }` or one per chain id): where the gas-sponsoring
   * extensions read allowances, nonces and fees when the signer cannot; payments need none.
   */
  constructor(
    private readonly signer: ClientEvmSigner,
    readonly options?: EvmSchemeOptions,
  ) {}

  /**
   * Sign a payment for one `accepts[]` entry.
   *
   * @throws {X402Error} `invalid_payment_requirements` when `extra.name`/`extra.version`
   * (the token's EIP-712 domain) are missing or the network/addresses are malformed.
   */
  async createPaymentPayload(
    x402Version: number,
    requirements: PaymentRequirements,
    context?: PaymentPayloadContext,
  ): Promise<PaymentPayloadResult> {
    const chainId = tryParseEvmNetwork(requirements.network);
    if (chainId === undefined)
      throw invalidRequirements(`network "${requirements.network}" is not eip155:<id>`);
    if (!/^\d+$/.test(requirements.amount)) throw invalidRequirements("amount must be atomic base-10 digits");
    const extra = requirements.extra ?? {};
    const method = extra.assetTransferMethod ?? "eip3009";
    if (method === "permit2") return this.createPermit2Payload(x402Version, requirements, chainId, context);
    if (method !== "eip3009")
      throw invalidRequirements(`extra.assetTransferMethod "${String(method)}" is not eip3009 or permit2`);
    const { name, version } = extra;
    if (typeof name !== "string" || typeof version !== "string")
      throw invalidRequirements("extra.name and extra.version (the token's EIP-712 domain) are required");

    const now = Math.floor(Date.now() / 1000);
    const authorization: Eip3009Authorization = {
      from: this.signer.address,
      to: checksum(requirements.payTo, "payTo"),
      value: requirements.amount,
      validAfter: "0",
      validBefore: String(now + requirements.maxTimeoutSeconds),
      nonce: randomNonce(),
    };
    const typedData = transferWithAuthorizationTypedData(
      { name, version, chainId, verifyingContract: checksum(requirements.asset, "asset") },
      {
        from: authorization.from,
        to: authorization.to,
        value: BigInt(authorization.value),
        validAfter: BigInt(authorization.validAfter),
        validBefore: BigInt(authorization.validBefore),
        nonce: authorization.nonce,
      },
    );
    // The signer takes any EIP-712 document (the official shape); ours is one of them.
    const signature = await this.signer.signTypedData(typedData as unknown as SignableTypedData);
    const payload: ExactEvmPayload = { signature, authorization };
    return { x402Version, payload: { ...payload } };
  }

  /**
   * Permit2 (`extra.assetTransferMethod: "permit2"`): sign a `PermitWitnessTransferFrom` for
   * the exact proxy and, when the server offers gas sponsoring and Permit2's allowance is short,
   * add an EIP-2612 permit or a signed approval (extension data; needs chain reads from the
   * signer or `rpcUrl`).
   */
  private async createPermit2Payload(
    x402Version: number,
    requirements: PaymentRequirements,
    chainId: number,
    context?: PaymentPayloadContext,
  ): Promise<PaymentPayloadResult> {
    const asset = checksum(requirements.asset, "asset");
    const payment = await signExactPermit2Payment(this.signer, {
      chainId,
      asset,
      payTo: checksum(requirements.payTo, "payTo"),
      amount: requirements.amount,
      maxTimeoutSeconds: requirements.maxTimeoutSeconds,
    });
    const result: PaymentPayloadResult = { x402Version, payload: { ...payment } };
    const advertised = context?.extensions;
    if (!advertised) return result;
    const extensions = await gasSponsoringFor(withChainAccess(this.signer, this.options, chainId), {
      chainId,
      asset,
      extra: requirements.extra ?? {},
      advertised,
      payment,
    });
    return extensions ? { ...result, extensions } : result;
  }

  /** The network's default stablecoin when `asset` is it (spend controls price it in USD). */
  findDefaultAsset = (asset: string, network: string): DefaultAsset | undefined => {
    const coin = findDefaultStablecoin(network, asset);
    return coin && { asset: coin.address, decimals: coin.decimals, symbol: coin.symbol };
  };
}

function checksum(address: string, field: string): `0x${string}` {
  try {
    return toChecksumAddress(address);
  } catch (cause) {
    throw invalidRequirements(`${field} "${address}" is not an EVM address`, cause);
  }
}

function invalidRequirements(message: string, cause?: unknown): X402Error {
  return new X402Error("invalid_payment_requirements", message, { cause });
}

/** 32 cryptographically random bytes as hex: the EIP-3009 nonce. */
function randomNonce(): `0x${string}` {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  let hex = "0x";
  for (const byte of bytes) hex += byte.toString(16).padStart(2, "0");
  return hex as `0x${string}`;
}
