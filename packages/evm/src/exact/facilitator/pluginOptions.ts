import { type FacilitatorPluginOption, SETTLEMENT_LEDGER_OPTIONS } from "@x402kit/core/facilitator";

/**
 * The per-network options of the EVM facilitator plugin (`networks["eip155:<id>"]`, or
 * `X402_NETWORKS_EIP155_<id>_<OPTION>` in the environment), as `--help` lists them.
 *
 * @example
 * ```ts
 * EVM_NETWORK_OPTIONS.map((option) => option.name); // ["rpcUrl", "pollingIntervalMs", …]
 * ```
 */
export const EVM_NETWORK_OPTIONS: readonly FacilitatorPluginOption[] = [
  {
    name: "rpcUrl",
    type: "url",
    required: true,
    description: "JSON-RPC endpoint of the chain (http or https)",
  },
  {
    name: "pollingIntervalMs",
    type: "integer",
    default: 1000,
    description: "how often a settlement's receipt is polled",
  },
  {
    name: "receiptTimeoutMs",
    type: "integer",
    default: 20000,
    description: "how long settle waits for a receipt before answering settlement_pending",
  },
  { name: "rpcTimeoutMs", type: "integer", default: 10000, description: "timeout of one JSON-RPC request" },
  {
    name: "simulateInSettle",
    type: "boolean",
    default: false,
    description: "dry-run the transfer again right before broadcasting",
  },
  {
    name: "maxFeePerGasWei",
    type: "integer",
    description:
      "gas price cap in wei per gas: above it settle answers settle_evm_gas_price_above_cap and sends nothing (default: no cap)",
  },
  {
    name: "priorityFeePerGasWei",
    type: "integer",
    description:
      "priority fee (tip) in wei per gas of settlement transactions (default: the node's suggestion)",
  },
  {
    name: "reconcileIntervalMs",
    type: "integer",
    default: 15000,
    description:
      "how often settlements left pending are checked against the chain, recorded, or re-broadcast if dropped",
  },
  {
    name: "rebroadcastAfterMs",
    type: "integer",
    default: 30000,
    description:
      "a pending settlement the node no longer knows this long after signing is re-broadcast with the same signed bytes",
  },
  {
    name: "allowedAssets",
    type: "string[]",
    description:
      'token addresses settled besides the network\'s known stablecoin ("any": every token; default: the known stablecoin, any token on chains 31337/1337)',
  },
  {
    name: "eip6492AllowedFactories",
    type: "string[]",
    description:
      "factories whose counterfactual (ERC-6492) smart wallets may pay; the wallet is deployed at settlement (default: none)",
  },
  {
    name: "upto",
    type: "boolean",
    default: false,
    description:
      "serve scheme upto too (Permit2 upto proxy); each key settles the payments whose witness names it",
  },
  {
    name: "v1NetworkName",
    type: "string",
    description:
      "serve x402 v1 exact under this network name, sharing the v2 settlement ledger (default: the chain's known v1 name, e.g. base-sepolia, if any)",
  },
  {
    name: "eip2612GasSponsoring",
    type: "boolean",
    default: false,
    description:
      "list the eip2612GasSponsoring extension in /supported (a permit that comes along is always honoured)",
  },
  {
    name: "erc20ApprovalGasSponsoring",
    type: "boolean",
    default: false,
    description:
      "broadcast payers' signed approve(Permit2) transactions, funding their gas within the sponsor limits (the sponsorPrivateKey's account, or the settlement keys)",
  },
  {
    name: "sponsorMaxFundingWei",
    type: "string",
    default: "1000000000000000",
    description: "most wei of gas money sent to one payer for its approval",
  },
  {
    name: "sponsorBudgetWei",
    type: "string",
    default: "100000000000000000",
    description: "most wei of gas money sent to all payers together per sponsorBudgetWindowMs",
  },
  {
    name: "sponsorBudgetWindowMs",
    type: "integer",
    default: 86400000,
    description: "the window of sponsorBudgetWei",
  },
  {
    name: "sponsorCooldownMs",
    type: "integer",
    default: 86400000,
    description: "a payer is funded at most once in this time (kept in the store)",
  },
  {
    name: "sponsorMaxFeeMultiplier",
    type: "integer",
    default: 2,
    description: "an approval's fee may be at most this multiple of the network's current estimate",
  },
  ...SETTLEMENT_LEDGER_OPTIONS,
];

/**
 * The signer options of the EVM facilitator plugin (`signers.eip155`, or
 * `X402_SIGNERS_EIP155_<OPTION>`).
 *
 * @example
 * ```ts
 * EVM_SIGNER_OPTIONS.map((option) => option.name); // ["privateKeys", "sponsorPrivateKey"]
 * ```
 */
export const EVM_SIGNER_OPTIONS: readonly FacilitatorPluginOption[] = [
  {
    name: "privateKeys",
    type: "secret[]",
    required: true,
    description:
      "secp256k1 keys that send settlements and pay gas, each with its own nonce sequence; the least busy sends next (comma-separated in the environment)",
  },
  {
    name: "sponsorPrivateKey",
    type: "secret",
    description:
      "a separate key that funds payers' approvals (erc20ApprovalGasSponsoring); default: the settlement keys, through their nonce managers",
  },
];
