import {
  AccountRole,
  type Address,
  appendTransactionMessageInstructions,
  compileTransaction,
  createSolanaRpc,
  createTransactionMessage,
  getBase64EncodedWireTransaction,
  type Instruction,
  pipe,
  setTransactionMessageFeePayer,
  setTransactionMessageLifetimeUsingBlockhash,
  signTransaction,
} from "@solana/kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  SOLANA_DEVNET_GENESIS_HASH,
  type SolanaDevnet,
  startSolanaDevnet,
  TOKEN_PROGRAM,
} from "../src/solana/index.js";

let devnet: SolanaDevnet;
let rpc: ReturnType<typeof createSolanaRpc>;

beforeAll(async () => {
  devnet = await startSolanaDevnet();
  rpc = createSolanaRpc(devnet.rpcUrl);
});
afterAll(async () => {
  await devnet?.stop();
});

/** TransferChecked (instruction 12) of SPL Token, built by hand from its documented layout. */
function transferChecked(
  source: Address,
  mint: Address,
  destination: Address,
  owner: Address,
  amount: bigint,
): Instruction {
  const data = new Uint8Array(10);
  data[0] = 12;
  new DataView(data.buffer).setBigUint64(1, amount, true);
  data[9] = 6;
  return {
    programAddress: TOKEN_PROGRAM,
    accounts: [
      { address: source, role: AccountRole.WRITABLE },
      { address: mint, role: AccountRole.READONLY },
      { address: destination, role: AccountRole.WRITABLE },
      { address: owner, role: AccountRole.READONLY_SIGNER },
    ],
    data,
  };
}

async function signedTransfer(amount: bigint) {
  const { payer, payTo } = devnet.accounts;
  const { value: lifetime } = await rpc.getLatestBlockhash().send();
  const [source, destination] = [
    await devnet.tokenAccount(payer.address),
    await devnet.tokenAccount(payTo.address),
  ];
  const message = pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayer(payer.address, m),
    (m) => setTransactionMessageLifetimeUsingBlockhash(lifetime, m),
    (m) =>
      appendTransactionMessageInstructions(
        [transferChecked(source, devnet.usdc.address, destination, payer.address, amount)],
        m,
      ),
  );
  return signTransaction([payer.signer.keyPair], compileTransaction(message));
}

describe("Solana devnet (litesvm behind loopback JSON-RPC), read with @solana/kit", () => {
  it("answers as Solana devnet, with funded accounts and the USDC mints", async () => {
    expect(await rpc.getGenesisHash().send()).toBe(SOLANA_DEVNET_GENESIS_HASH);
    const { payer } = devnet.accounts;
    expect((await rpc.getBalance(payer.address).send()).value).toBe(100_000_000_000n);
    const mint = (await rpc.getAccountInfo(devnet.usdc.address, { encoding: "base64" }).send()).value;
    expect(mint?.owner).toBe(TOKEN_PROGRAM);
    expect(Buffer.from(mint?.data[0] ?? "", "base64")[44]).toBe(6);
    const mint2022 = (await rpc.getAccountInfo(devnet.usdc2022.address, { encoding: "base64" }).send()).value;
    expect(mint2022?.owner).toBe(devnet.usdc2022.tokenProgram);
    const balance = (await rpc.getTokenAccountBalance(await devnet.tokenAccount(payer.address)).send()).value;
    expect(balance).toMatchObject({ amount: "1000000000", decimals: 6 });
    expect(await rpc.getMinimumBalanceForRentExemption(165n).send()).toBe(2_039_280n);
    expect(
      (await rpc.getAccountInfo("9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin" as Address).send()).value,
    ).toBeNull();
  });

  it("simulates without signatures, sends, reports the status, and refuses a replay", async () => {
    const { payer, payTo } = devnet.accounts;
    const before = [await devnet.tokenBalance(payer.address), await devnet.tokenBalance(payTo.address)];
    const tx = await signedTransfer(1234n);
    const wire = getBase64EncodedWireTransaction(tx);
    const fee = await rpc.getFeeForMessage(Buffer.from(tx.messageBytes).toString("base64") as never).send();
    expect(fee.value).toBe(5000n);
    const simulated = await rpc
      .simulateTransaction(wire, { encoding: "base64", sigVerify: false, commitment: "confirmed" })
      .send();
    expect(simulated.value.err).toBeNull();
    const signature = await rpc.sendTransaction(wire, { encoding: "base64", skipPreflight: true }).send();
    const [status] = (await rpc.getSignatureStatuses([signature]).send()).value;
    expect(status).toMatchObject({ err: null, confirmationStatus: "finalized" });
    expect(await devnet.tokenBalance(payer.address)).toBe(before[0]! - 1234n);
    expect(await devnet.tokenBalance(payTo.address)).toBe(before[1]! + 1234n);
    await expect(rpc.sendTransaction(wire, { encoding: "base64" }).send()).rejects.toThrow();
    expect(await devnet.tokenBalance(payer.address)).toBe(before[0]! - 1234n);
  });

  it("fails a transaction whose blockhash expired, and one that overspends", async () => {
    const stale = getBase64EncodedWireTransaction(await signedTransfer(1n));
    devnet.expireBlockhash();
    const simulated = await rpc.simulateTransaction(stale, { encoding: "base64", sigVerify: false }).send();
    expect(simulated.value.err).toBe("BlockhashNotFound");
    const overspend = getBase64EncodedWireTransaction(await signedTransfer(10n ** 15n));
    const failed = await rpc.simulateTransaction(overspend, { encoding: "base64" }).send();
    expect(failed.value.err).toMatchObject({ InstructionError: [0n, { Custom: 1n }] });
  });
});
