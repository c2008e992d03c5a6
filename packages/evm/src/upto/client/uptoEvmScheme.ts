import type {
  PaymentPayloadContext,
  PaymentPayloadResult,
  PaymentRequirements,
  SchemeClient,
} from "@x402kit/core";
import { X402Error } from "@x402kit/core";
import { toChecksumAddress } from "../../exact/client/address.js";
import { withChainAccess } from "../../exact/client/chainAccess.js";
import { type EvmSchemeOptions, ExactEvmScheme } from "../../exact/client/exactEvmScheme.js";
import { gasSponsoringFor } from "../../exact/client/gasSponsoring.js";
import type { ClientEvmSigner } from "../../exact/client/signer.js";
import { tryParseEvmNetwork } from "../../network.js";
import { createPermit2Nonce, permit2TypedDataOf, x402UptoPermit2ProxyAddress } from "../../permit2/index.js";
import { type UptoPermit2Payload, uptoPermit2ProxyConfig } from "../payload.js";

type SignableTypedData = Parameters<ClientEvmSigner["signTypedData"]>[0];

/**
 * Client side of scheme `upto` on EVM chains: signs a Permit2 witness transfer of the
 * maximum (`requirements.amount`) to the upto proxy, bound to `payTo` and to the facilitator
 * the server named (`extra.facilitatorAddress`), valid from `0` until `now + maxTimeoutSeconds`.
 * The server charges what the request used, never more. The payer needs a Permit2 allowance,
 * or a gas-sponsoring extension the server offers (`eip2612GasSponsoring`,
 * `erc20ApprovalGasSponsoring`), which this scheme then adds when the allowance is short.
 *
 * @example
 * ```ts
 * const client = new x402Client().register("eip155:*", new UptoEvmScheme(privateKeyToAccount(key)));
 * ```
 */
export class UptoEvmScheme implements SchemeClient {
  readonly scheme = "upto";
  private readonly exact: ExactEvmScheme;

  constructor(
    private readonly signer: ClientEvmSigner,
    readonly options?: EvmSchemeOptions,
  ) {
    this.exact = new ExactEvmScheme(signer, options);
  }

  /**
   * Sign the maximum of one `accepts[]` entry.
   *
   * @throws {X402Error} `invalid_payment_requirements` without `extra.facilitatorAddress`, with
   * malformed addresses or amount, or a non-EVM network.
   */
  async createPaymentPayload(
    x402Version: number,
    requirements: PaymentRequirements,
    context?: PaymentPayloadContext,
  ): Promise<PaymentPayloadResult> {
    const chainId = tryParseEvmNetwork(requirements.network);
    if (chainId === undefined) throw invalid(`network "${requirements.network}" is not eip155:<id>`);
    const facilitator = requirements.extra?.facilitatorAddress;
    if (typeof facilitator !== "string")
      throw invalid("extra.facilitatorAddress is required (the facilitator that may settle)");
    if (!/^\d+$/.test(requirements.amount)) throw invalid("amount must be atomic base-10 digits");
    const validAfter = 0n;
    const deadline = BigInt(Math.floor(Date.now() / 1000) + requirements.maxTimeoutSeconds);
    if (deadline <= validAfter) throw invalid("deadline must be after validAfter");
    const permit2Authorization: UptoPermit2Payload["permit2Authorization"] = {
      from: this.signer.address,
      permitted: { token: checksum(requirements.asset, "asset"), amount: requirements.amount },
      spender: x402UptoPermit2ProxyAddress,
      nonce: createPermit2Nonce(),
      deadline: deadline.toString(),
      witness: {
        to: checksum(requirements.payTo, "payTo"),
        facilitator: checksum(facilitator, "extra.facilitatorAddress"),
        validAfter: validAfter.toString(),
      },
    };
    const typedData = permit2TypedDataOf(
      permit2Authorization as unknown as Parameters<typeof permit2TypedDataOf>[0],
      chainId,
      uptoPermit2ProxyConfig,
    );
    const signature = await this.signer.signTypedData(typedData as unknown as SignableTypedData);
    const payload: UptoPermit2Payload = { signature, permit2Authorization };
    const result: PaymentPayloadResult = { x402Version, payload: { ...payload } };
    // A payer without a Permit2 allowance adds a gas-sponsoring extension the server offered
    // (an EIP-2612 permit for the maximum, or a signed approve), as for exact via Permit2.
    const advertised = context?.extensions;
    if (!advertised) return result;
    const extensions = await gasSponsoringFor(withChainAccess(this.signer, this.options, chainId), {
      chainId,
      asset: permit2Authorization.permitted.token,
      extra: requirements.extra ?? {},
      advertised,
      payment: payload as unknown as Parameters<typeof gasSponsoringFor>[1]["payment"],
    });
    return extensions ? { ...result, extensions } : result;
  }

  /** The network's default stablecoin when `asset` is it (spend controls price the maximum in USD). */
  findDefaultAsset = (asset: string, network: string) => this.exact.findDefaultAsset(asset, network);
}

function checksum(address: string, field: string): `0x${string}` {
  try {
    return toChecksumAddress(address);
  } catch (cause) {
    throw new X402Error("invalid_payment_requirements", `${field} "${address}" is not an EVM address`, {
      cause,
    });
  }
}

function invalid(message: string): X402Error {
  return new X402Error("invalid_payment_requirements", message);
}
