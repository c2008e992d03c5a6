// Facilitator verify throughput, SVM exact (SPL TransferChecked, the facilitator as fee payer):
// our scheme vs the official @x402/svm 2.27 one, in one process, against the same litesvm
// devnet (served over loopback JSON-RPC from a child process). Both verify the same kind of
// payload and both simulate it over RPC; CPU is this process's only.
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createKeyPairSignerFromBytes } from "@solana/kit";
import { toFacilitatorSvmSigner as officialSigner } from "@x402/svm";
import { ExactSvmScheme as OfficialFacilitator } from "@x402/svm/exact/facilitator";
import type { PaymentPayload, PaymentRequirements, VerifyResponse } from "@x402kit/core";
import { devAccount } from "@x402kit/devnet/solana";
import { ed25519Backend } from "@x402kit/svm";
import { ExactSvmScheme as OurClient } from "@x402kit/svm/exact/client";
import { ExactSvmScheme as OurFacilitator, toFacilitatorSvmSigner } from "@x402kit/svm/exact/facilitator";
import type { SvmDevnetReady } from "./facilitatorSvm/devnetProcess.js";
import { measureInProcess, mustBeValid } from "./facilitatorVerify/closedLoop.js";
import { compareSides, formatVerifyTable, type Side, type VerifyRatio } from "./facilitatorVerify/compare.js";

type Verify = (payload: PaymentPayload, requirements: PaymentRequirements) => Promise<VerifyResponse>;

/** Knobs of {@link measureFacilitatorSvm}. */
export interface FacilitatorSvmOptions {
  /** Seconds per measured run. Default 3. */
  seconds?: number;
  /** Rounds per case (sides alternate ABBA); figures are medians. Default 2. */
  rounds?: number;
  concurrencies?: readonly number[];
  /** Distinct signed payments per side. Default 64. */
  payments?: number;
}

/**
 * Start the Solana devnet in a child process, sign `payments` distinct payments per side with
 * our client (each names its side's fee payer) and measure both facilitator schemes' verify,
 * closed-loop at each concurrency. Every verification must answer valid (else it throws).
 *
 * @example
 * ```ts
 * const { ratios } = await measureFacilitatorSvm({ seconds: 3, concurrencies: [1, 8, 32] });
 * console.log(formatFacilitatorSvmTable(ratios));
 * ```
 */
export async function measureFacilitatorSvm(
  options: FacilitatorSvmOptions = {},
): Promise<{ ratios: VerifyRatio[]; ed25519: string }> {
  const seconds = options.seconds ?? 3;
  const rounds = options.rounds ?? 2;
  const concurrencies = options.concurrencies ?? [1, 8, 32];
  const devnet = await startDevnetProcess();
  try {
    const [payer, feePayer, other] = await Promise.all(["payer", "facilitator", "other"].map(devAccount));
    if (!payer || !feePayer || !other) throw new Error("devnet accounts missing");
    const verifiers: Record<Side, Verify> = {
      ours: ((scheme) => scheme.verify.bind(scheme))(
        new OurFacilitator(toFacilitatorSvmSigner(feePayer.signer, { defaultRpcUrl: devnet.rpcUrl })),
      ),
      official: ((scheme) => scheme.verify.bind(scheme) as unknown as Verify)(
        new OfficialFacilitator(
          officialSigner(await createKeyPairSignerFromBytes(other.secretKey), {
            defaultRpcUrl: devnet.rpcUrl,
          }),
        ),
      ),
    };
    const requirementsOf = (feePayerAddress: string): PaymentRequirements => ({
      scheme: "exact",
      network: devnet.network,
      amount: "1000",
      asset: devnet.usdc,
      payTo: devnet.payTo,
      maxTimeoutSeconds: 300,
      extra: { feePayer: feePayerAddress },
    });
    const requirements: Record<Side, PaymentRequirements> = {
      ours: requirementsOf(feePayer.address),
      official: requirementsOf(other.address),
    };
    const client = new OurClient(payer.signer, { rpcUrl: devnet.rpcUrl });
    const pools = {} as Record<Side, PaymentPayload[]>;
    for (const side of ["ours", "official"] as const)
      pools[side] = await Promise.all(
        Array.from({ length: options.payments ?? 64 }, async () => {
          const { payload } = await client.createPaymentPayload(2, requirements[side]);
          return { x402Version: 2, accepted: requirements[side], payload } as PaymentPayload;
        }),
      );
    const ratios: VerifyRatio[] = [];
    for (const concurrency of concurrencies) {
      const steps = {
        ours: mustBeValid((p: PaymentPayload) => verifiers.ours(p, requirements.ours)),
        official: mustBeValid((p: PaymentPayload) => verifiers.official(p, requirements.official)),
      };
      ratios.push(
        await compareSides(`c=${concurrency}`, { seconds, rounds }, (side, runSeconds) =>
          measureInProcess(pools[side], concurrency, runSeconds, steps[side]),
        ),
      );
    }
    return { ratios, ed25519: ed25519Backend };
  } finally {
    await devnet.stop();
  }
}

/**
 * The ratios as a Markdown table.
 *
 * @example
 * ```ts
 * console.log(formatFacilitatorSvmTable(ratios));
 * ```
 */
export function formatFacilitatorSvmTable(ratios: readonly VerifyRatio[]): string {
  return formatVerifyTable("SVM exact facilitator verify, ours vs official @x402/svm 2.27", ratios);
}

function startDevnetProcess(): Promise<SvmDevnetReady & { stop(): Promise<void> }> {
  const file = fileURLToPath(new URL("./facilitatorSvm/devnetProcess.ts", import.meta.url));
  const child = fork(file, { execArgv: process.execArgv, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`Solana devnet process exited early (${code})`)));
    child.once("message", (message: SvmDevnetReady) => {
      child.removeAllListeners("exit");
      resolve({
        ...message,
        stop: () =>
          new Promise<void>((done) => {
            child.once("exit", () => done());
            child.send("stop");
            setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
          }),
      });
    });
  });
}
