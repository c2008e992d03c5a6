import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import type { PaymentPayload, PaymentRequirements, SettleResponse } from "@x402kit/core";
import type { Devnet } from "@x402kit/devnet";
import { transferWithAuthorizationTypes } from "@x402kit/evm";
import { parseAbiItem } from "viem";
import { privateKeyToAccount } from "viem/accounts";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));

/** `exact` requirements for `amount` of the devnet's USDC to `payTo`. */
export function requirementsFor(devnet: Devnet, amount: bigint): PaymentRequirements {
  return {
    scheme: "exact",
    network: devnet.network,
    amount: amount.toString(),
    asset: devnet.usdc.address,
    payTo: devnet.accounts.payTo.address,
    maxTimeoutSeconds: 120,
    extra: { name: devnet.usdc.name, version: devnet.usdc.version },
  };
}

/** An EIP-3009 TransferWithAuthorization signed by the devnet's payer with plain viem. */
export async function signPayment(
  devnet: Devnet,
  requirements: PaymentRequirements,
  signerKey: `0x${string}` = devnet.accounts.payer.privateKey,
): Promise<PaymentPayload> {
  const payer = privateKeyToAccount(signerKey);
  const now = Math.floor(Date.now() / 1000);
  const authorization = {
    from: payer.address,
    to: requirements.payTo as `0x${string}`,
    value: BigInt(requirements.amount),
    validAfter: BigInt(now - 60),
    validBefore: BigInt(now + requirements.maxTimeoutSeconds),
    nonce: `0x${randomBytes(32).toString("hex")}` as const,
  };
  const signature = await payer.signTypedData({
    domain: {
      name: devnet.usdc.name,
      version: devnet.usdc.version,
      chainId: devnet.chainId,
      verifyingContract: devnet.usdc.address,
    },
    types: transferWithAuthorizationTypes,
    primaryType: "TransferWithAuthorization",
    message: authorization,
  });
  return {
    x402Version: 2,
    accepted: requirements,
    payload: {
      signature,
      authorization: {
        ...authorization,
        value: authorization.value.toString(),
        validAfter: authorization.validAfter.toString(),
        validBefore: authorization.validBefore.toString(),
      },
    },
  };
}

/** A facilitator CLI running as a child process. */
export interface FacilitatorProcess {
  url: string;
  child: ChildProcess;
  /** Everything it wrote to stdout and stderr. */
  output(): string;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
}

/**
 * Run `x402kit-facilitator --port 0` (the TypeScript source, through tsx) with exactly `env`
 * (plus PATH), and resolve once it printed its URL.
 */
export async function spawnFacilitator(env: Record<string, string>): Promise<FacilitatorProcess> {
  const child = spawn(
    process.execPath,
    ["--conditions=@x402kit/source", "--import", "tsx", "packages/facilitator/src/cli.ts", "--port", "0"],
    { cwd: ROOT, env: { PATH: process.env.PATH ?? "", ...env }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const url = await new Promise<string>((resolve, reject) => {
    const onData = () => {
      const match = /listening on (\S+)/.exec(output);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`facilitator exited ${code}: ${output}`)));
  });
  return {
    url,
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** POST /settle and return the parsed answer. */
export async function settleOver(
  url: string,
  payload: PaymentPayload,
  requirements: PaymentRequirements,
): Promise<SettleResponse> {
  const response = await fetch(`${url}/settle`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ x402Version: 2, paymentPayload: payload, paymentRequirements: requirements }),
  });
  if (response.status !== 200)
    throw new Error(`settle answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as SettleResponse;
}

/** Transfer events of the devnet USDC from `from` to `to` since `fromBlock`. */
export async function transfersBetween(
  devnet: Devnet,
  from: `0x${string}`,
  to: `0x${string}`,
  fromBlock: bigint,
) {
  return devnet.publicClient.getLogs({
    address: devnet.usdc.address,
    event: parseAbiItem("event Transfer(address indexed from, address indexed to, uint256 value)"),
    args: { from, to },
    fromBlock,
    toBlock: "latest",
  });
}

/** Transactions sent so far by each address (its nonce). */
export async function sentCount(devnet: Devnet, addresses: readonly `0x${string}`[]): Promise<number> {
  const counts = await Promise.all(
    addresses.map((address) => devnet.publicClient.getTransactionCount({ address })),
  );
  return counts.reduce((a, b) => a + b, 0);
}
