import {
  Account,
  Address,
  authorizeEntry,
  nativeToScVal,
  Operation,
  type Transaction,
  TransactionBuilder,
  type xdr,
} from "@stellar/stellar-sdk";
import { Api, assembleTransaction } from "@stellar/stellar-sdk/rpc";
import type { DefaultAsset, PaymentPayloadResult, PaymentRequirements, SchemeClient } from "@x402kit/core";
import { X402Error } from "@x402kit/core";
import { validateStellarAssetAddress, validateStellarDestinationAddress } from "../../addresses.js";
import {
  getEstimatedLedgerCloseTimeSeconds,
  getNetworkPassphrase,
  getRpcClient,
  getStellarNetwork,
  isStellarNetwork,
  type RpcConfig,
} from "../../networks.js";
import type { ClientStellarSigner } from "../../signer.js";
import type { ExactStellarPayloadV2 } from "../payload.js";

/** The SDK's placeholder source: the facilitator replaces it, so the client spends no sequence number. */
const PLACEHOLDER_SOURCE = "GAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAWHF";

/**
 * Client side of scheme `exact` on Stellar: builds the SEP-41 `transfer(from, to, amount)`
 * invocation of `requirements.asset`, simulates it, signs the payer's Soroban authorization
 * entry (valid until `currentLedger + ceil(maxTimeoutSeconds / ledgerSeconds)`), simulates
 * again and sends the transaction XDR. The client never signs the envelope nor spends a
 * sequence number: the facilitator rebuilds the transaction as its own and pays the fee.
 *
 * @example
 * ```ts
 * const client = new x402Client().register("stellar:*", new ExactStellarScheme(createEd25519Signer(secret)));
 * ```
 */
export class ExactStellarScheme implements SchemeClient {
  readonly scheme = "exact";

  /**
   * @param signer the payer: its address and auth-entry signing.
   * @param rpcConfig a Soroban RPC URL (required for pubnet; the table's default otherwise).
   */
  constructor(
    private readonly signer: ClientStellarSigner,
    private readonly rpcConfig?: RpcConfig,
  ) {}

  /**
   * Build and sign a payment for one `accepts[]` entry.
   *
   * @throws {X402Error} `invalid_payment_requirements` for malformed requirements, fees not
   * sponsored, or a simulation that fails or asks for another signer.
   */
  async createPaymentPayload(
    x402Version: number,
    requirements: PaymentRequirements,
  ): Promise<PaymentPayloadResult> {
    validate(requirements);
    const { network, payTo, asset, amount, maxTimeoutSeconds } = requirements;
    const networkPassphrase = getNetworkPassphrase(network);
    const server = getRpcClient(network, this.rpcConfig);
    const from = this.signer.address;
    const latest = await server.getLatestLedger();
    const ledgerSeconds = await getEstimatedLedgerCloseTimeSeconds(network);
    const expiration = latest.sequence + Math.ceil(maxTimeoutSeconds / ledgerSeconds);

    const unsigned = new TransactionBuilder(new Account(PLACEHOLDER_SOURCE, "0"), {
      fee: "100",
      networkPassphrase,
    })
      .addOperation(
        Operation.invokeContractFunction({
          contract: asset,
          function: "transfer",
          args: [
            nativeToScVal(from, { type: "address" }),
            nativeToScVal(payTo, { type: "address" }),
            nativeToScVal(amount, { type: "i128" }),
          ],
        }),
      )
      .setTimeout(maxTimeoutSeconds)
      .build();
    const recorded = assembleTransaction(unsigned, await simulate(server, unsigned)).build();
    const entries = authEntriesOf(recorded);
    const pending = unsignedSigners(entries);
    if (pending.length !== 1 || pending[0] !== from)
      throw invalid(`the transfer needs signatures of [${pending.join(", ")}], expected only ${from}`);

    const signed = await Promise.all(
      entries.map((entry) =>
        isUnsignedFor(entry, from)
          ? authorizeEntry(
              entry,
              (preimage) => this.signPreimage(preimage, networkPassphrase),
              expiration,
              networkPassphrase,
            )
          : entry,
      ),
    );
    const withAuth = rebuildWithAuth(recorded, signed, networkPassphrase);
    // Simulate again: footprint and resource fee must reflect the signed entry.
    const final = assembleTransaction(withAuth, await simulate(server, withAuth)).build();
    const left = unsignedSigners(authEntriesOf(final));
    if (left.length > 0) throw invalid(`unexpected signer(s) required: [${left.join(", ")}]`);
    const payload: ExactStellarPayloadV2 = { transaction: final.toXDR() };
    return { x402Version, payload: { ...payload } };
  }

  /** The network's default asset (USDC) when `asset` is it, so spend controls can price it in USD. */
  findDefaultAsset = (asset: string, network: string): DefaultAsset | undefined => {
    const known = getStellarNetwork(network)?.defaultAsset;
    return known?.address === asset
      ? { asset: known.address, decimals: known.decimals, symbol: known.symbol ?? "USDC" }
      : undefined;
  };

  private async signPreimage(preimage: xdr.HashIdPreimage, networkPassphrase: string): Promise<Buffer> {
    const { signedAuthEntry, error } = (await this.signer.signAuthEntry(preimage.toXDR("base64"), {
      networkPassphrase,
      address: this.signer.address,
    })) as { signedAuthEntry: string; error?: { message?: string } };
    if (error) throw invalid(`the wallet refused to sign: ${error.message ?? "unknown error"}`);
    return Buffer.from(signedAuthEntry, "base64");
  }
}

async function simulate(
  server: ReturnType<typeof getRpcClient>,
  tx: Transaction,
): Promise<Api.SimulateTransactionSuccessResponse> {
  const result = await server.simulateTransaction(tx);
  if (Api.isSimulationError(result)) throw invalid(`the transfer simulation failed: ${result.error}`);
  if (Api.isSimulationRestore(result)) throw invalid("the transfer needs archived state restored first");
  return result;
}

function authEntriesOf(tx: Transaction): xdr.SorobanAuthorizationEntry[] {
  const op = tx.operations[0];
  return op?.type === "invokeHostFunction" ? (op.auth ?? []) : [];
}

function addressOf(entry: xdr.SorobanAuthorizationEntry): string | undefined {
  return entry.credentials().switch().name === "sorobanCredentialsAddress"
    ? Address.fromScAddress(entry.credentials().address().address()).toString()
    : undefined;
}

function isUnsignedFor(entry: xdr.SorobanAuthorizationEntry, address: string): boolean {
  return (
    addressOf(entry) === address && entry.credentials().address().signature().switch().name === "scvVoid"
  );
}

function unsignedSigners(entries: xdr.SorobanAuthorizationEntry[]): string[] {
  const pending = new Set<string>();
  for (const entry of entries) {
    const address = addressOf(entry);
    if (address && isUnsignedFor(entry, address)) pending.add(address);
  }
  return [...pending];
}

/** The same transaction with its operation's auth entries replaced (envelope unsigned). */
function rebuildWithAuth(
  tx: Transaction,
  auth: xdr.SorobanAuthorizationEntry[],
  networkPassphrase: string,
): Transaction {
  const envelope = tx.toEnvelope();
  envelope.v1().tx().operations()[0]!.body().invokeHostFunctionOp().auth(auth);
  return TransactionBuilder.fromXDR(envelope, networkPassphrase) as Transaction;
}

function validate(requirements: PaymentRequirements): void {
  const { scheme, network, payTo, asset, amount, maxTimeoutSeconds, extra } = requirements;
  if (scheme !== "exact") throw invalid(`unsupported scheme ${scheme}`);
  if (!isStellarNetwork(network))
    throw invalid(`unknown Stellar network ${network} (registerStellarNetwork adds one)`);
  if (typeof amount !== "string" || !/^[1-9]\d*$/.test(amount))
    throw invalid(`amount ${amount} must be a positive integer`);
  if (BigInt(amount) >= 2n ** 127n) throw invalid("amount does not fit an i128");
  if (!validateStellarDestinationAddress(payTo)) throw invalid(`payTo ${payTo} is not a Stellar address`);
  if (!validateStellarAssetAddress(asset)) throw invalid(`asset ${asset} is not a contract id`);
  if (!Number.isInteger(maxTimeoutSeconds) || maxTimeoutSeconds <= 0)
    throw invalid("maxTimeoutSeconds must be a positive integer");
  if (extra?.areFeesSponsored !== true) throw invalid("exact on Stellar needs extra.areFeesSponsored = true");
}

function invalid(message: string): X402Error {
  return new X402Error("invalid_payment_requirements", message);
}
