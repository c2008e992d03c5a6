import {
  type Address,
  domainSeparator,
  encodeAbiParameters,
  type Hex,
  keccak256,
  parseEventLogs,
  parseSignature,
  serializeCompactSignature,
  signatureToCompactSignature,
  toHex,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type DevAccount,
  type Devnet,
  devnetPermit2Abi,
  devnetPermitTokenAbi,
  PERMIT2_ADDRESS,
  startDevnet,
} from "../src/index.js";
import {
  exactWitnessTypes,
  newPermit,
  now,
  type Permit,
  permit2Domain,
  revertName,
} from "./permit2Helpers.js";

// Called directly, the Permit2 spender is whoever calls: here the `other` account.
const WITNESS_TYPE_STRING =
  "Witness witness)TokenPermissions(address token,uint256 amount)Witness(address to,uint256 validAfter)";
const abi = [...devnetPermit2Abi, ...devnetPermitTokenAbi.filter((i) => i.type === "error")];

type Witness = { to: Address; validAfter: bigint };

let devnet: Devnet;
let token: Address;
let spender: DevAccount;
beforeAll(async () => {
  devnet = await startDevnet();
  token = devnet.tokens.permit2Usd.address;
  spender = devnet.accounts.other;
  await devnet.approvePermit2(devnet.accounts.payer, token);
});
afterAll(async () => {
  await devnet?.stop();
});

/** The witness struct hash, as the x402 exact proxy computes it. */
function hashWitness(witness: Witness): Hex {
  return keccak256(
    encodeAbiParameters(
      [{ type: "bytes32" }, { type: "address" }, { type: "uint256" }],
      [keccak256(toHex("Witness(address to,uint256 validAfter)")), witness.to, witness.validAfter],
    ),
  );
}

function sign(signer: DevAccount, permit: Permit, witness: Witness): Promise<Hex> {
  return privateKeyToAccount(signer.privateKey).signTypedData({
    domain: permit2Domain(devnet),
    types: exactWitnessTypes,
    primaryType: "PermitWitnessTransferFrom",
    message: { ...permit, spender: spender.address, witness },
  });
}

function witnessTransfer(permit: Permit, amount: bigint, owner: Address, witness: Witness, signature: Hex) {
  return devnet.publicClient.simulateContract({
    account: privateKeyToAccount(spender.privateKey),
    address: PERMIT2_ADDRESS,
    abi,
    functionName: "permitWitnessTransferFrom",
    args: [
      permit,
      { to: witness.to, requestedAmount: amount },
      owner,
      hashWitness(witness),
      WITNESS_TYPE_STRING,
      signature,
    ],
  });
}

async function send(request: unknown) {
  const hash = await devnet.walletClient(spender).writeContract(request as never);
  const receipt = await devnet.publicClient.waitForTransactionReceipt({ hash });
  expect(receipt.status).toBe("success");
  return receipt;
}

describe("DevnetPermit2 (SignatureTransfer at the canonical Permit2 address)", () => {
  it("has Permit2's EIP-712 domain, computed for this chain and address", async () => {
    expect(
      await devnet.publicClient.readContract({
        address: PERMIT2_ADDRESS,
        abi,
        functionName: "DOMAIN_SEPARATOR",
      }),
    ).toBe(domainSeparator({ domain: permit2Domain(devnet) }));
  });

  it("permitWitnessTransferFrom moves the tokens once, then InvalidNonce", async () => {
    const { payer, payTo } = devnet.accounts;
    const permit = await newPermit(devnet, token, 3_000n);
    const witness = { to: payTo.address, validAfter: 0n };
    const signature = await sign(payer, permit, witness);
    const before = await devnet.balanceOf(payTo.address, token);

    // Permit2 lets the spender take less than permitted.
    await send((await witnessTransfer(permit, 2_000n, payer.address, witness, signature)).request);
    expect(await devnet.balanceOf(payTo.address, token)).toBe(before + 2_000n);
    const word = await devnet.publicClient.readContract({
      address: PERMIT2_ADDRESS,
      abi,
      functionName: "nonceBitmap",
      args: [payer.address, permit.nonce >> 8n],
    });
    expect((word >> (permit.nonce & 0xffn)) & 1n).toBe(1n);

    expect(await revertName(witnessTransfer(permit, 1_000n, payer.address, witness, signature))).toBe(
      "InvalidNonce",
    );
  });

  it("refuses expired permits, amounts above the permit, other signers and broken signatures", async () => {
    const { payer, payTo } = devnet.accounts;
    const witness = { to: payTo.address, validAfter: 0n };

    const expired = { ...(await newPermit(devnet, token, 1_000n)), deadline: (await now(devnet)) - 1n };
    expect(
      await revertName(
        witnessTransfer(expired, 1_000n, payer.address, witness, await sign(payer, expired, witness)),
      ),
    ).toBe("SignatureExpired");

    const permit = await newPermit(devnet, token, 1_000n);
    const signature = await sign(payer, permit, witness);
    expect(await revertName(witnessTransfer(permit, 1_001n, payer.address, witness, signature))).toBe(
      "InvalidAmount",
    );
    // Signed by someone else, or over other data (the witness is part of the signed message).
    const stranger = await sign(devnet.accounts.facilitator, permit, witness);
    expect(await revertName(witnessTransfer(permit, 1_000n, payer.address, witness, stranger))).toBe(
      "InvalidSigner",
    );
    const redirected = { ...witness, to: devnet.accounts.facilitator.address };
    expect(await revertName(witnessTransfer(permit, 1_000n, payer.address, redirected, signature))).toBe(
      "InvalidSigner",
    );
    // r = 0 recovers no address; a 66-byte signature has the wrong length.
    const zeroR = `0x${"00".repeat(32)}${signature.slice(66)}` as Hex;
    expect(await revertName(witnessTransfer(permit, 1_000n, payer.address, witness, zeroR))).toBe(
      "InvalidSignature",
    );
    expect(await revertName(witnessTransfer(permit, 1_000n, payer.address, witness, `${signature}00`))).toBe(
      "InvalidSignatureLength",
    );
  });

  it("accepts a 64-byte EIP-2098 compact signature", async () => {
    const { payer, payTo } = devnet.accounts;
    const permit = await newPermit(devnet, token, 500n);
    const witness = { to: payTo.address, validAfter: 0n };
    const compact = serializeCompactSignature(
      signatureToCompactSignature(parseSignature(await sign(payer, permit, witness))),
    );
    expect((compact.length - 2) / 2).toBe(64);
    await send((await witnessTransfer(permit, 500n, payer.address, witness, compact)).request);
  });

  it("invalidateUnorderedNonces burns nonces ahead of use", async () => {
    const { payer, payTo } = devnet.accounts;
    const permit = await newPermit(devnet, token, 100n);
    const hash = await devnet.walletClient(payer).writeContract({
      address: PERMIT2_ADDRESS,
      abi: devnetPermit2Abi,
      functionName: "invalidateUnorderedNonces",
      args: [permit.nonce >> 8n, 1n << (permit.nonce & 0xffn)],
    });
    const receipt = await devnet.publicClient.waitForTransactionReceipt({ hash });
    expect(parseEventLogs({ abi: devnetPermit2Abi, logs: receipt.logs })[0]?.eventName).toBe(
      "UnorderedNonceInvalidation",
    );
    const witness = { to: payTo.address, validAfter: 0n };
    expect(
      await revertName(
        witnessTransfer(permit, 100n, payer.address, witness, await sign(payer, permit, witness)),
      ),
    ).toBe("InvalidNonce");
  });

  it("permitTransferFrom (no witness) works with the PermitTransferFrom type", async () => {
    const { payer, payTo } = devnet.accounts;
    const permit = await newPermit(devnet, token, 700n);
    const signature = await privateKeyToAccount(payer.privateKey).signTypedData({
      domain: permit2Domain(devnet),
      types: {
        PermitTransferFrom: [
          { name: "permitted", type: "TokenPermissions" },
          { name: "spender", type: "address" },
          { name: "nonce", type: "uint256" },
          { name: "deadline", type: "uint256" },
        ],
        TokenPermissions: exactWitnessTypes.TokenPermissions,
      },
      primaryType: "PermitTransferFrom",
      message: { ...permit, spender: spender.address },
    });
    const before = await devnet.balanceOf(payTo.address, token);
    const { request } = await devnet.publicClient.simulateContract({
      account: privateKeyToAccount(spender.privateKey),
      address: PERMIT2_ADDRESS,
      abi,
      functionName: "permitTransferFrom",
      args: [permit, { to: payTo.address, requestedAmount: 700n }, payer.address, signature],
    });
    await send(request);
    expect(await devnet.balanceOf(payTo.address, token)).toBe(before + 700n);
  });

  it("reports a failed token transfer as TRANSFER_FROM_FAILED, like Permit2's SafeTransferLib", async () => {
    const { payTo } = devnet.accounts;
    const poor = devnet.accounts.facilitator; // has tokens but no allowance to Permit2
    const permit = await newPermit(devnet, token, 100n);
    const witness = { to: payTo.address, validAfter: 0n };
    expect(
      await revertName(
        witnessTransfer(permit, 100n, poor.address, witness, await sign(poor, permit, witness)),
      ),
    ).toBe("TRANSFER_FROM_FAILED");
  });
});
