import { type Address, encodeDeployData } from "viem";
import { PERMIT2_USD, USD18 } from "./constants.js";
import { devnetEip3009TokenAbi, devnetEip3009TokenBytecode } from "./contracts/eip3009TokenArtifact.js";
import { devnetPermitTokenAbi, devnetPermitTokenBytecode } from "./contracts/permitTokenArtifact.js";
import type { DeployerSender, SentTransaction } from "./deployerSender.js";

/** Which of the devnet's tokens: `usdc` (TestUSDC), `permit2Usd` or `usd18`. */
export type DevnetTokenKey = "usdc" | "permit2Usd" | "usd18";

/** A token on the devnet, with what a client needs to pay with it. */
export interface DevnetToken {
  address: Address;
  /** EIP-712 domain name (also `name()`). */
  name: string;
  symbol: string;
  /** EIP-712 domain version (also `version()`). */
  version: string;
  decimals: number;
  /** EIP-712 domain of the token itself (EIP-3009 and EIP-2612 signatures). */
  domain: { name: string; version: string; chainId: number; verifyingContract: Address };
  /** Has EIP-3009 `transferWithAuthorization`; false means it pays through Permit2 only. */
  eip3009: boolean;
  /** Has EIP-2612 `permit` (all devnet tokens do; the eip2612GasSponsoring extension needs it). */
  eip2612: boolean;
}

/** The devnet's tokens. `usdc` is the same TestUSDC as `Devnet.usdc`. */
export interface DevnetTokens {
  usdc: DevnetToken;
  /** 6 decimals, EIP-2612, no EIP-3009: payable through Permit2 only. */
  permit2Usd: DevnetToken;
  /** 18 decimals, EIP-3009 and EIP-2612. */
  usd18: DevnetToken;
}

/**
 * 1000 whole tokens in atomic units: what each default account receives of each token.
 *
 * @example
 * expect(await devnet.balanceOf(payer, devnet.tokens.usd18.address)).toBe(thousandTokens(18));
 */
export function thousandTokens(decimals: number): bigint {
  return 1000n * 10n ** BigInt(decimals);
}

/**
 * Builds a {@link DevnetToken} description.
 *
 * @example
 * const pusd = describeToken(address, PERMIT2_USD, 31337, false);
 */
export function describeToken(
  address: Address,
  meta: { name: string; symbol: string; version: string; decimals: number },
  chainId: number,
  eip3009: boolean,
): DevnetToken {
  const { name, symbol, version, decimals } = meta;
  return {
    address,
    name,
    symbol,
    version,
    decimals,
    domain: { name, version, chainId, verifyingContract: address },
    eip3009,
    eip2612: true,
  };
}

/**
 * Queues the deployments of the Permit2-only token and the 18-decimals token (the deployer's
 * next two transactions). Resolves once both are broadcast, with the addresses they deploy to and
 * the transactions to confirm.
 *
 * @example
 * const { permit2Usd, usd18, sent } = await deployExtraTokens(sender);
 * await Promise.all(sent.map((tx) => sender.confirm(tx.hash, "token deployment")));
 */
export async function deployExtraTokens(
  sender: DeployerSender,
): Promise<{ permit2Usd: Address; usd18: Address; sent: SentTransaction[] }> {
  const permit2Usd = await sender.send({
    data: encodeDeployData({
      abi: devnetPermitTokenAbi,
      bytecode: devnetPermitTokenBytecode,
      args: [PERMIT2_USD.name, PERMIT2_USD.symbol, PERMIT2_USD.version, PERMIT2_USD.decimals],
    }),
    gas: 3_000_000n,
  });
  const usd18 = await sender.send({
    data: encodeDeployData({
      abi: devnetEip3009TokenAbi,
      bytecode: devnetEip3009TokenBytecode,
      args: [USD18.name, USD18.symbol, USD18.version, USD18.decimals],
    }),
    gas: 4_000_000n,
  });
  return {
    permit2Usd: created(permit2Usd.contractAddress),
    usd18: created(usd18.contractAddress),
    sent: [permit2Usd, usd18],
  };
}

function created(address: Address | undefined): Address {
  if (!address) throw new Error("a contract creation has no address");
  return address;
}
