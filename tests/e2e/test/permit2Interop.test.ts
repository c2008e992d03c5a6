import { x402Client as OfficialClient } from "@x402/core/client";
import { x402Facilitator as OfficialFacilitator } from "@x402/core/facilitator";
import { toClientEvmSigner as officialClientSigner } from "@x402/evm";
import { ExactEvmScheme as OfficialExactClient } from "@x402/evm/exact/client";
import { ExactEvmScheme as OfficialExactFacilitator } from "@x402/evm/exact/facilitator";
import { ExactEvmScheme as OfficialExactServer } from "@x402/evm/exact/server";
import {
  EIP2612_GAS_SPONSORING as OFFICIAL_EIP2612,
  createErc20ApprovalGasSponsoringExtension as officialErc20Extension,
} from "@x402/extensions";
import { wrapFetchWithPayment as officialWrapFetch } from "@x402/fetch";
import type { PaymentPayload, PaymentRequirements } from "@x402kit/core";
import { x402Client } from "@x402kit/core/client";
import { x402Facilitator } from "@x402kit/core/facilitator";
import { decodePaymentResponseHeader } from "@x402kit/core/http";
import { type DevAccount, type Devnet, startDevnet } from "@x402kit/devnet";
import {
  createErc20ApprovalGasSponsoringExtension,
  createErc20ApprovalSponsorSigner,
  declareEip2612GasSponsoringExtension,
  declareErc20ApprovalGasSponsoringExtension,
  EIP2612_GAS_SPONSORING,
  PERMIT2_ADDRESS,
} from "@x402kit/evm";
import { ExactEvmScheme as ExactClient, toClientEvmSigner } from "@x402kit/evm/exact/client";
import { ExactEvmScheme as ExactFacilitator } from "@x402kit/evm/exact/facilitator";
import { ExactEvmScheme as ExactServer } from "@x402kit/evm/exact/server";
import { startFacilitatorServer } from "@x402kit/facilitator";
import { wrapFetchWithPayment } from "@x402kit/fetch";
import type express from "express";
import type { Address } from "viem";
import { generatePrivateKey, type PrivateKeyAccount, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveOfficialFacilitator } from "../src/officialFacilitatorHttp.js";
import { officialEvmFacilitatorSigner } from "../src/officialSigner.js";
import { officialPaidApp, ourPaidApp } from "../src/paidApps.js";
import { listen } from "../src/stack.js";

const PRICE = "10000";
let devnet: Devnet;
let pusd: Address;
let ourEngine: x402Facilitator;
let officialEngine: OfficialFacilitator;
let ours: { url: string; close(): Promise<void> };
let official: { url: string; close(): Promise<void> };

/** A sponsoring signer over one of anvil's spare accounts (funds approvals, sends settlements). */
const sponsor = (account: DevAccount) =>
  createErc20ApprovalSponsorSigner({
    walletClient: devnet.walletClient(account),
    publicClient: devnet.publicClient as never,
  });

beforeAll(async () => {
  devnet = await startDevnet();
  pusd = devnet.tokens.permit2Usd.address;
  ourEngine = new x402Facilitator()
    .register(
      devnet.network,
      new ExactFacilitator({ walletClient: devnet.walletClient(devnet.accounts.facilitator) }),
    )
    .registerExtension(EIP2612_GAS_SPONSORING)
    .registerExtension(
      createErc20ApprovalGasSponsoringExtension(sponsor(devnet.allAccounts[5] as DevAccount)),
    );
  ours = await startFacilitatorServer(ourEngine, { port: 0 });

  officialEngine = new OfficialFacilitator()
    .register(
      devnet.network,
      new OfficialExactFacilitator(officialEvmFacilitatorSigner(devnet, devnet.accounts.other)),
    )
    .registerExtension(OFFICIAL_EIP2612)
    // The official extension takes any signer with sendTransactions; ours fits its shape.
    .registerExtension(officialErc20Extension(sponsor(devnet.allAccounts[6] as DevAccount) as never));
  official = await serveOfficialFacilitator(officialEngine);
}, 60_000);

afterAll(async () => {
  await ours?.close();
  await official?.close();
  await devnet?.stop();
});

type Sponsoring = "none" | "eip2612" | "erc20Approval";

/** `GET /paid` for PRICE of the Permit2-only token; EIP-2612 needs the token's domain in `extra`. */
function route(sponsoring: Sponsoring) {
  const token = devnet.tokens.permit2Usd;
  const domain = sponsoring === "erc20Approval" ? {} : { name: token.name, version: token.version };
  const extensions =
    sponsoring === "eip2612"
      ? declareEip2612GasSponsoringExtension()
      : sponsoring === "erc20Approval"
        ? declareErc20ApprovalGasSponsoringExtension()
        : undefined;
  return {
    "GET /paid": {
      accepts: {
        scheme: "exact",
        network: devnet.network,
        payTo: devnet.accounts.payTo.address,
        price: { amount: PRICE, asset: pusd, extra: { assetTransferMethod: "permit2", ...domain } },
      },
      ...(extensions ? { extensions } : {}),
    },
  };
}

const paidRoute = (sponsoring: Sponsoring) => ({
  routes: route(sponsoring),
  path: "/paid",
  handler: (_req: express.Request, res: express.Response) => res.json({ ok: true }),
});
const ourApp = (facilitatorUrl: string, sponsoring: Sponsoring) =>
  ourPaidApp(facilitatorUrl, new ExactServer(), paidRoute(sponsoring));
const officialApp = (facilitatorUrl: string, sponsoring: Sponsoring) =>
  officialPaidApp(facilitatorUrl, devnet.network, new OfficialExactServer(), paidRoute(sponsoring));

function ourFetch(account: PrivateKeyAccount) {
  const signer = toClientEvmSigner(account, devnet.publicClient as never);
  const client = new x402Client({ spendControls: false }).register("eip155:*", new ExactClient(signer));
  return wrapFetchWithPayment(fetch, client);
}

function officialFetch(account: PrivateKeyAccount) {
  const signer = officialClientSigner(account, devnet.publicClient as never);
  const client = new OfficialClient().register("eip155:*", new OfficialExactClient(signer));
  client.setSpendControls(false);
  return officialWrapFetch(fetch, client);
}

/** A payer with PUSD and no ETH, no Permit2 allowance (fresh key). */
async function freshPayer(): Promise<PrivateKeyAccount> {
  const account = privateKeyToAccount(generatePrivateKey());
  await devnet.mint(account.address, 1_000_000n, pusd);
  return account;
}

async function paysExactlyOnce(
  app: express.Express,
  payer: PrivateKeyAccount,
  pay: (url: string) => Promise<Response>,
) {
  const server = await listen(app);
  try {
    const payerBefore = await devnet.balanceOf(payer.address, pusd);
    const payToBefore = await devnet.balanceOf(devnet.accounts.payTo.address, pusd);
    const response = await pay(`${server.url}/paid`);
    expect(response.status, await response.clone().text()).toBe(200);
    const receipt = decodePaymentResponseHeader(response.headers.get("payment-response") as string);
    expect(receipt).toMatchObject({ success: true, payer: payer.address });
    expect(payerBefore - (await devnet.balanceOf(payer.address, pusd))).toBe(BigInt(PRICE));
    expect((await devnet.balanceOf(devnet.accounts.payTo.address, pusd)) - payToBefore).toBe(BigInt(PRICE));
  } finally {
    await server.close();
  }
}

describe("exact via Permit2: interop with the official @x402/evm 2.27 on anvil", () => {
  it("plain Permit2 (pre-approved payer), both directions", async () => {
    const account = devnet.allAccounts[7] as DevAccount;
    await devnet.mint(account.address, 1_000_000n, pusd);
    await devnet.approvePermit2(account, pusd);
    const payer = privateKeyToAccount(account.privateKey);
    await paysExactlyOnce(officialApp(official.url, "none"), payer, ourFetch(payer));
    await paysExactlyOnce(ourApp(ours.url, "none"), payer, officialFetch(payer));
  });

  it("EIP-2612 gas sponsoring: our client → official server + facilitator", async () => {
    const payer = await freshPayer();
    await paysExactlyOnce(officialApp(official.url, "eip2612"), payer, ourFetch(payer));
  });

  it("EIP-2612 gas sponsoring: official client → our server + facilitator", async () => {
    const payer = await freshPayer();
    await paysExactlyOnce(ourApp(ours.url, "eip2612"), payer, officialFetch(payer));
  });

  it("ERC-20 approval gas sponsoring: our client → official server + facilitator (payer has no ETH)", async () => {
    const payer = await freshPayer();
    await paysExactlyOnce(officialApp(official.url, "erc20Approval"), payer, ourFetch(payer));
    expect(await devnet.allowance(payer.address, PERMIT2_ADDRESS, pusd)).toBeGreaterThan(10n ** 70n);
  });

  it("ERC-20 approval gas sponsoring: official client → our server + facilitator (payer has no ETH)", async () => {
    const payer = await freshPayer();
    await paysExactlyOnce(ourApp(ours.url, "erc20Approval"), payer, officialFetch(payer));
    expect(await devnet.allowance(payer.address, PERMIT2_ADDRESS, pusd)).toBeGreaterThan(10n ** 70n);
  });

  describe("facilitators side by side", () => {
    let requirements: PaymentRequirements;
    let payer: PrivateKeyAccount;
    beforeAll(async () => {
      const account = devnet.allAccounts[8] as DevAccount;
      await devnet.mint(account.address, 1_000_000n, pusd);
      await devnet.approvePermit2(account, pusd);
      payer = privateKeyToAccount(account.privateKey);
      requirements = {
        scheme: "exact",
        network: devnet.network,
        amount: PRICE,
        asset: pusd,
        payTo: devnet.accounts.payTo.address,
        maxTimeoutSeconds: 300,
        extra: { assetTransferMethod: "permit2" },
      };
    });

    /** A payment signed by the official client (what our facilitator must accept and judge alike). */
    async function officialPayment(): Promise<PaymentPayload> {
      const result = await new OfficialExactClient(payer).createPaymentPayload(2, requirements as never);
      return {
        x402Version: 2,
        accepted: requirements,
        payload: result.payload,
        resource: { url: "http://x/paid" },
      } as PaymentPayload;
    }

    it("a replayed Permit2 payload settles once (ours, then ours again, then the official)", async () => {
      const payment = await officialPayment();
      const before = await devnet.balanceOf(payer.address, pusd);
      expect((await ourEngine.settle(payment, requirements)).success).toBe(true);
      const replay = await ourEngine.settle(payment, requirements);
      expect(replay.success).toBe(false);
      expect(replay.errorReason).toBe("duplicate_settlement");
      const elsewhere = await officialEngine.settle(payment as never, requirements as never);
      expect(elsewhere.success).toBe(false);
      expect(before - (await devnet.balanceOf(payer.address, pusd))).toBe(BigInt(PRICE));
    });

    it("refuses wrong amount, recipient, token, deadline and signature with the official reasons", async () => {
      const payment = await officialPayment();
      const auth = (payment.payload as { permit2Authorization: Record<string, unknown> })
        .permit2Authorization;
      const tampered = (change: Record<string, unknown>) =>
        ({
          ...payment,
          payload: { ...payment.payload, permit2Authorization: { ...auth, ...change } },
        }) as PaymentPayload;
      const cases: Array<[PaymentPayload, PaymentRequirements, string]> = [
        [payment, { ...requirements, amount: "10001" }, "permit2_amount_mismatch"],
        [
          payment,
          { ...requirements, payTo: devnet.accounts.other.address },
          "invalid_permit2_recipient_mismatch",
        ],
        [payment, { ...requirements, asset: devnet.usdc.address }, "permit2_token_mismatch"],
        [
          tampered({ deadline: String(Math.floor(Date.now() / 1000) - 1) }),
          requirements,
          "permit2_deadline_expired",
        ],
        [tampered({ nonce: "1" }), requirements, "invalid_permit2_signature"],
        [tampered({ spender: devnet.accounts.other.address }), requirements, "invalid_permit2_spender"],
      ];
      for (const [p, reqs, reason] of cases) {
        const sent = { ...p, accepted: reqs };
        const theirs = await officialEngine.verify(sent as never, reqs as never);
        expect(theirs.invalidReason, `official: ${reason}`).toBe(reason);
        expect((await ourEngine.verify(sent, reqs)).invalidReason, `ours: ${reason}`).toBe(reason);
      }
    });
  });
});
