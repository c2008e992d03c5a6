import { x402Facilitator } from "@x402kit/core/facilitator";
import { ExactEvmFacilitator, type ExactEvmFacilitatorOptions } from "@x402kit/evm/exact/facilitator";
import { privateKeyToAccount } from "viem/accounts";
import { configError } from "../config/configError.js";
import type { FacilitatorConfig } from "../config/facilitatorConfig.js";
import { validateFacilitatorConfig } from "../config/validateFacilitatorConfig.js";
import { checkChainId } from "./checkChainId.js";
import { createEvmClients } from "./createEvmClients.js";
import { redactSchemeMessages } from "./redactSchemeMessages.js";

/** Options of {@link createFacilitatorFromConfig}. */
export interface CreateFacilitatorFromConfigOptions {
  /** Register into this engine (e.g. one with hooks already attached). Default: a new one. */
  facilitator?: x402Facilitator;
  /** Options of every {@link ExactEvmFacilitator}, e.g. `receiptTimeoutMs`. */
  exactEvm?: ExactEvmFacilitatorOptions;
}

/**
 * Build a facilitator engine from a configuration: for every EVM network, viem clients
 * over its RPC URL signing with `signerKey`, and the `exact` scheme registered. Each RPC is
 * asked for its chain id first; a mismatch or an unreachable RPC fails here, at start-up,
 * not on the first payment.
 *
 * @throws {X402Error} `invalid_facilitator_config` naming the network at fault.
 * @example
 * ```ts
 * const facilitator = await createFacilitatorFromConfig(await loadFacilitatorConfig({ file: "facilitator.json" }));
 * const service = await startFacilitatorServer(facilitator, { port: 4020 });
 * ```
 */
export async function createFacilitatorFromConfig(
  input: FacilitatorConfig,
  options: CreateFacilitatorFromConfigOptions = {},
): Promise<x402Facilitator> {
  // A hand-built config gets the same checks as a loaded one.
  const config = validateFacilitatorConfig(input);
  let account: ReturnType<typeof privateKeyToAccount>;
  try {
    // Concurrent settlements get distinct nonces from the signer's serialised broadcasts.
    account = privateKeyToAccount(config.signerKey);
  } catch {
    throw configError("signerKey", "is not a valid secp256k1 private key");
  }
  const networks = Object.entries(config.networks).map(([network, settings]) => {
    const chainId = Number(network.slice("eip155:".length));
    return { network, settings, clients: createEvmClients(chainId, settings, account) };
  });
  await Promise.all(
    networks.map(({ network, settings, clients }) =>
      checkChainId(clients.publicClient, network, settings.rpcUrl),
    ),
  );

  const facilitator = options.facilitator ?? new x402Facilitator();
  for (const { network, clients } of networks) {
    const scheme = new ExactEvmFacilitator(clients, options.exactEvm);
    facilitator.register(network, redactSchemeMessages(scheme, [config.networks[network]!.rpcUrl]));
  }
  return facilitator;
}
