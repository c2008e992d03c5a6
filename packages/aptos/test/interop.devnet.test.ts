import {
  Account,
  AccountAddress,
  Aptos,
  AptosConfig,
  Ed25519PrivateKey,
  Network,
  SimpleTransaction,
} from "@aptos-labs/ts-sdk";
import type { PaymentPayload } from "@x402kit/core";
import { type AptosDevnet, startAptosDevnet } from "@x402kit/devnet/aptos";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeAptosPayload } from "../src/index.js";
import { buildGolden } from "./golden.js";
import { addressOf, facilitatorFor, payFor, registerDevnet, requirementsFor } from "./helpers.js";

// Interop with the official wire format (the official @x402/aptos does not install here):
// payloads shaped like the official client's settle through our facilitator on the stand-in,
// and our client's payload is byte-for-byte the spec's layout.
let devnet: AptosDevnet;
beforeAll(async () => {
  devnet = await startAptosDevnet({ accounts: 2 });
  registerDevnet(devnet);
});
afterAll(async () => devnet?.stop());

describe("official wire format on the local stand-in", () => {
  it("a golden payload built byte by byte from the spec verifies and settles", async () => {
    const seed = Uint8Array.from({ length: 32 }, (_, i) => 200 - i);
    const payer = Account.fromPrivateKey({ privateKey: new Ed25519PrivateKey(seed) });
    devnet.ledger.createAccount(payer, 10n ** 8n);
    devnet.ledger.mint(devnet.usdc, addressOf(payer), 50_000n);
    const payTo = devnet.accounts[1] as Account;
    const requirements = requirementsFor(devnet, payTo, "20000");
    const golden = buildGolden({
      seed,
      sequenceNumber: 0n,
      asset: devnet.usdc,
      payTo: addressOf(payTo),
      amount: 20_000n,
      maxGasAmount: 200_000n,
      gasUnitPrice: 100n,
      expiration: BigInt(Math.floor(Date.now() / 1000) + 60),
      chainId: devnet.chainId,
      feePayer: addressOf(devnet.feePayer),
    });
    expect(golden.sender).toBe(addressOf(payer));
    const payload: PaymentPayload = {
      x402Version: 2,
      accepted: requirements,
      payload: { transaction: golden.encoded },
    };
    const facilitator = facilitatorFor(devnet);
    expect(await facilitator.verify(payload, requirements)).toEqual({ isValid: true, payer: golden.sender });
    expect(await facilitator.settle(payload, requirements)).toMatchObject({
      success: true,
      payer: golden.sender,
    });
    expect(devnet.ledger.balance(addressOf(payer), devnet.usdc)).toBe(30_000n);
  });

  it("a payload built the way the official client builds it (SDK build.simple, fee payer set after building) settles", async () => {
    const payer = devnet.accounts[0] as Account;
    const requirements = requirementsFor(devnet, devnet.accounts[1] as Account, "4321");
    const aptos = new Aptos(new AptosConfig({ network: Network.LOCAL, fullnode: devnet.url }));
    const built = await aptos.transaction.build.simple({
      sender: payer.accountAddress,
      data: {
        function: "0x1::primary_fungible_store::transfer",
        typeArguments: ["0x1::fungible_asset::Metadata"],
        functionArguments: [requirements.asset, requirements.payTo, requirements.amount],
      },
      withFeePayer: true,
      // The official package builds with SDK 5, whose default is 200 000; SDK 6's is 2 000 000,
      // above every sponsor's bound (ours and the official 500 000).
      options: { maxGasAmount: 200_000 },
    });
    const transaction = new SimpleTransaction(
      built.rawTransaction,
      AccountAddress.from(String(requirements.extra?.feePayer)),
    );
    const authenticator = payer.signTransactionWithAuthenticator(transaction);
    const payload: PaymentPayload = {
      x402Version: 2,
      accepted: requirements,
      payload: { transaction: encodeAptosPayload(transaction.bcsToBytes(), authenticator.bcsToBytes()) },
    };
    const settled = await facilitatorFor(devnet).settle(payload, requirements);
    expect(settled, String(settled.errorReason)).toMatchObject({ success: true, payer: addressOf(payer) });
  });

  it("our client's payload is the spec's byte layout", async () => {
    const seed = Uint8Array.from({ length: 32 }, (_, i) => 100 + i);
    const payer = Account.fromPrivateKey({ privateKey: new Ed25519PrivateKey(seed) });
    devnet.ledger.createAccount(payer, 10n ** 8n);
    const requirements = requirementsFor(devnet, devnet.accounts[1] as Account, "999");
    const ours = await payFor(payer, requirements);
    const decoded = JSON.parse(Buffer.from(String(ours.payload.transaction), "base64").toString()) as {
      transaction: number[];
    };
    // Read back the two values the client chose (expiration, gas price) at their fixed offsets from the end.
    const tx = Uint8Array.from(decoded.transaction);
    const view = new DataView(tx.buffer);
    const end = tx.length - 33; // fee payer option (1 + 32)
    const expiration = view.getBigUint64(end - 9, true);
    const gasUnitPrice = view.getBigUint64(end - 17, true);
    const golden = buildGolden({
      seed,
      sequenceNumber: 0n,
      asset: devnet.usdc,
      payTo: requirements.payTo,
      amount: 999n,
      maxGasAmount: 200_000n,
      gasUnitPrice,
      expiration,
      chainId: devnet.chainId,
      feePayer: String(requirements.extra?.feePayer),
    });
    expect(ours.payload.transaction).toBe(golden.encoded);
  });
});
