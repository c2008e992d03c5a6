import type { PaymentRequirements } from "@x402kit/core";
import { type SolanaDevnet, startSolanaDevnet } from "@x402kit/devnet/solana";
import { ExactSvmScheme as OurClient } from "@x402kit/svm/exact/client";
import { toFacilitatorSvmSigner } from "@x402kit/svm/exact/facilitator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let devnet: SolanaDevnet;
beforeAll(async () => {
  devnet = await startSolanaDevnet();
});
afterAll(() => devnet?.stop());

async function rpc(method: string, params: unknown[]) {
  const response = await fetch(devnet.rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  return (await response.json()) as { result?: unknown; error?: { code: number; data?: { err?: unknown } } };
}

/** A payment transaction co-signed by the fee payer, ready to send. */
async function signedTransfer(): Promise<string> {
  const req: PaymentRequirements = {
    scheme: "exact",
    network: devnet.network,
    amount: "10000",
    asset: devnet.usdc.address,
    payTo: devnet.accounts.payTo.address,
    maxTimeoutSeconds: 60,
    extra: { feePayer: devnet.accounts.facilitator.address },
  };
  const client = new OurClient(devnet.accounts.payer.signer, { rpcUrl: devnet.rpcUrl });
  const { transaction } = (await client.createPaymentPayload(2, req)).payload as { transaction: string };
  const signer = toFacilitatorSvmSigner(devnet.accounts.facilitator.signer, { defaultRpcUrl: devnet.rpcUrl });
  return signer.signTransaction(transaction, devnet.accounts.facilitator.address, devnet.network);
}

describe("the Solana devnet answers a landed message like a node", () => {
  it("a copy sent with skipPreflight gets its signature back and moves nothing more", async () => {
    const tx = await signedTransfer();
    const config = { encoding: "base64", skipPreflight: true };
    const first = await rpc("sendTransaction", [tx, config]);
    expect(first.result).toMatch(/^[1-9A-HJ-NP-Za-km-z]{64,88}$/);
    const payer = await devnet.tokenBalance(devnet.accounts.payer.address);
    expect(await rpc("sendTransaction", [tx, config])).toMatchObject({ result: first.result });
    expect(await devnet.tokenBalance(devnet.accounts.payer.address)).toBe(payer);
    const statuses = await rpc("getSignatureStatuses", [[first.result]]);
    expect(statuses.result).toMatchObject({ value: [{ err: null, confirmationStatus: "finalized" }] });
  });

  it("simulating a landed message reports AlreadyProcessed; a copy with preflight is refused with it", async () => {
    const tx = await signedTransfer();
    await rpc("sendTransaction", [tx, { encoding: "base64", skipPreflight: true }]);
    // The fee-payer slot of a copy may differ; the node's status cache knows the message.
    const copy = Buffer.from(tx, "base64");
    copy.fill(0, 1, 65);
    const simulated = await rpc("simulateTransaction", [
      copy.toString("base64"),
      { encoding: "base64", sigVerify: false, replaceRecentBlockhash: false },
    ]);
    expect(simulated.result).toMatchObject({ value: { err: "AlreadyProcessed" } });
    expect(await rpc("sendTransaction", [tx, { encoding: "base64" }])).toMatchObject({
      error: { code: -32002, data: { err: "AlreadyProcessed" } },
    });
  });
});
