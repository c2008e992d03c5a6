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

type Side = "ours" | "official";
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

/** One side of one case. */
export interface FacilitatorSvmRow {
  concurrency: number;
  side: Side;
  verifiesPerSecond: number;
  cpuMicrosPerVerify: number;
}

/** Ours/official at one concurrency. */
export interface FacilitatorSvmRatio {
  concurrency: number;
  /** ours verify/s ÷ official verify/s (higher is better). */
  throughput: number;
  /** ours CPU per verify ÷ official's (lower is better). */
  cpu: number;
  ours: FacilitatorSvmRow;
  official: FacilitatorSvmRow;
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
): Promise<{ rows: FacilitatorSvmRow[]; ratios: FacilitatorSvmRatio[]; ed25519: string }> {
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
    const rows: FacilitatorSvmRow[] = [];
    for (const concurrency of concurrencies) {
      const samples: Record<Side, FacilitatorSvmRow[]> = { ours: [], official: [] };
      for (let round = 0; round < rounds; round++) {
        const order: Side[] = round % 2 === 0 ? ["ours", "official"] : ["official", "ours"];
        for (const side of order) {
          const verify = (p: PaymentPayload) => verifiers[side](p, requirements[side]);
          const cpu = process.cpuUsage();
          const done = await drive(verify, pools[side], concurrency, seconds);
          const used = process.cpuUsage(cpu);
          samples[side].push({
            concurrency,
            side,
            verifiesPerSecond: done.count / done.seconds,
            cpuMicrosPerVerify: (used.user + used.system) / done.count,
          });
        }
      }
      for (const side of ["ours", "official"] as const) rows.push(median(samples[side]));
    }
    const ratios = concurrencies.map((concurrency) => {
      const ours = rows.find((r) => r.side === "ours" && r.concurrency === concurrency) as FacilitatorSvmRow;
      const official = rows.find(
        (r) => r.side === "official" && r.concurrency === concurrency,
      ) as FacilitatorSvmRow;
      return {
        concurrency,
        throughput: ours.verifiesPerSecond / official.verifiesPerSecond,
        cpu: ours.cpuMicrosPerVerify / official.cpuMicrosPerVerify,
        ours,
        official,
      };
    });
    return { rows, ratios, ed25519: ed25519Backend };
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
export function formatFacilitatorSvmTable(ratios: readonly FacilitatorSvmRatio[]): string {
  const lines = [
    "| concurrency | ours verify/s | official verify/s | throughput ours/official | CPU µs/verify ours | official | CPU ours/official |",
    "|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const r of ratios)
    lines.push(
      `| ${r.concurrency} | ${r.ours.verifiesPerSecond.toFixed(0)} | ${r.official.verifiesPerSecond.toFixed(0)} | ${r.throughput.toFixed(2)}× | ${r.ours.cpuMicrosPerVerify.toFixed(0)} | ${r.official.cpuMicrosPerVerify.toFixed(0)} | ${r.cpu.toFixed(2)} |`,
    );
  return lines.join("\n");
}

async function drive(
  verify: (payload: PaymentPayload) => Promise<VerifyResponse>,
  pool: readonly PaymentPayload[],
  concurrency: number,
  seconds: number,
): Promise<{ count: number; seconds: number }> {
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let count = 0;
  let next = 0;
  const worker = async () => {
    while (performance.now() < deadline) {
      const payload = pool[next++ % pool.length] as PaymentPayload;
      const result = await verify(payload);
      if (!result.isValid)
        throw new Error(
          `verify refused a valid payment: ${result.invalidReason} ${result.invalidMessage ?? ""}`,
        );
      count++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { count, seconds: (performance.now() - started) / 1000 };
}

function median(rows: FacilitatorSvmRow[]): FacilitatorSvmRow {
  const sorted = [...rows].sort((a, b) => a.verifiesPerSecond - b.verifiesPerSecond);
  return sorted[Math.floor(sorted.length / 2)] as FacilitatorSvmRow;
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
