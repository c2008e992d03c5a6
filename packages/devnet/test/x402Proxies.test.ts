import {
  type Address,
  encodeFunctionData,
  getAddress,
  keccak256,
  maxUint256,
  parseEventLogs,
  toFunctionSelector,
  toHex,
  zeroAddress,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type DevAccount,
  type Devnet,
  devnetPermit2Abi,
  devnetPermitTokenAbi,
  PERMIT2_ADDRESS,
  startDevnet,
  X402_EXACT_PERMIT2_PROXY,
  X402_UPTO_PERMIT2_PROXY,
  x402ExactPermit2ProxyAbi,
  x402UptoPermit2ProxyAbi,
} from "../src/index.js";
import { reentrantTokenAbi, reentrantTokenBytecode } from "./fixtures/reentrantTokenArtifact.js";
import {
  newPermit,
  now,
  type Permit,
  revertName,
  signExactPermit,
  signPermit2612,
  signUptoPermit,
} from "./permit2Helpers.js";

// Errors that can surface through a proxy: its own, Permit2's and the token's.
const permit2Errors = devnetPermit2Abi.filter((item) => item.type === "error");
const tokenErrors = devnetPermitTokenAbi.filter((item) => item.type === "error");
const exactAbi = [...x402ExactPermit2ProxyAbi, ...permit2Errors, ...tokenErrors];
const uptoAbi = [...x402UptoPermit2ProxyAbi, ...permit2Errors, ...tokenErrors];

let devnet: Devnet;
let token: Address;
beforeAll(async () => {
  devnet = await startDevnet();
  token = devnet.tokens.permit2Usd.address;
  await devnet.approvePermit2(devnet.accounts.payer, token);
});
afterAll(async () => {
  await devnet?.stop();
});

function exactSettle(
  permit: Permit,
  owner: Address,
  witness: { to: Address; validAfter: bigint },
  signature: `0x${string}`,
  from: DevAccount = devnet.accounts.facilitator,
) {
  return devnet.publicClient.simulateContract({
    account: privateKeyToAccount(from.privateKey),
    address: X402_EXACT_PERMIT2_PROXY,
    abi: exactAbi,
    functionName: "settle",
    args: [permit, owner, witness, signature],
  });
}

/** Sends a simulated request (viem's request types differ per ABI; the simulation checked it). */
async function send(request: unknown, from: DevAccount = devnet.accounts.facilitator) {
  const hash = await devnet.walletClient(from).writeContract(request as never);
  const receipt = await devnet.publicClient.waitForTransactionReceipt({ hash });
  expect(receipt.status).toBe("success");
  return receipt;
}

describe("x402ExactPermit2Proxy (our stand-in at the canonical address)", () => {
  it("exposes Permit2's address and the official witness type", async () => {
    const read = (functionName: "PERMIT2" | "WITNESS_TYPEHASH" | "WITNESS_TYPE_STRING") =>
      devnet.publicClient.readContract({
        address: X402_EXACT_PERMIT2_PROXY,
        abi: x402ExactPermit2ProxyAbi,
        functionName,
      });
    expect(await read("PERMIT2")).toBe(PERMIT2_ADDRESS);
    expect(await read("WITNESS_TYPEHASH")).toBe(
      "0xd97b3239a7f32295517bd14cb074edfdd188dfe5eb42f802bb26d4fd1eb12c37",
    );
    expect(await read("WITNESS_TYPE_STRING")).toBe(
      "Witness witness)TokenPermissions(address token,uint256 amount)Witness(address to,uint256 validAfter)",
    );
  });

  it("settles exactly the permitted amount to the witness's payee, once", async () => {
    const { payer, payTo } = devnet.accounts;
    const permit = await newPermit(devnet, token, 12_345n);
    const witness = { to: payTo.address, validAfter: 0n };
    const signature = await signExactPermit(devnet, payer, permit, witness, X402_EXACT_PERMIT2_PROXY);
    const [payerBefore, payToBefore] = [
      await devnet.balanceOf(payer.address, token),
      await devnet.balanceOf(payTo.address, token),
    ];

    const { request } = await exactSettle(permit, payer.address, witness, signature);
    const receipt = await send(request);
    expect(
      parseEventLogs({ abi: x402ExactPermit2ProxyAbi, logs: receipt.logs }).map((l) => l.eventName),
    ).toEqual(["Settled"]);
    expect(await devnet.balanceOf(payer.address, token)).toBe(payerBefore - 12_345n);
    expect(await devnet.balanceOf(payTo.address, token)).toBe(payToBefore + 12_345n);

    expect(await revertName(exactSettle(permit, payer.address, witness, signature))).toBe("InvalidNonce");
  });

  it("refuses with the official custom errors", async () => {
    const { payer, payTo, other } = devnet.accounts;
    const witness = { to: payTo.address, validAfter: 0n };
    const permit = await newPermit(devnet, token, 1_000n);
    const signature = await signExactPermit(devnet, payer, permit, witness, X402_EXACT_PERMIT2_PROXY);

    const zero = { ...permit, permitted: { token, amount: 0n } };
    expect(await revertName(exactSettle(zero, payer.address, witness, signature))).toBe("InvalidAmount");
    expect(await revertName(exactSettle(permit, zeroAddress, witness, signature))).toBe("InvalidOwner");
    expect(
      await revertName(exactSettle(permit, payer.address, { ...witness, to: zeroAddress }, signature)),
    ).toBe("InvalidDestination");
    const later = { to: payTo.address, validAfter: (await now(devnet)) + 3600n };
    const laterSig = await signExactPermit(devnet, payer, permit, later, X402_EXACT_PERMIT2_PROXY);
    expect(await revertName(exactSettle(permit, payer.address, later, laterSig))).toBe("PaymentTooEarly");
    // The payee is bound by the signature: redirecting it breaks the signer recovery.
    expect(
      await revertName(exactSettle(permit, payer.address, { ...witness, to: other.address }, signature)),
    ).toBe("InvalidSigner");
    // A signature for another spender (the upto proxy) does not verify here.
    const wrongSpender = await signExactPermit(devnet, payer, permit, witness, X402_UPTO_PERMIT2_PROXY);
    expect(await revertName(exactSettle(permit, payer.address, witness, wrongSpender))).toBe("InvalidSigner");
    // No allowance to Permit2: the transfer fails inside Permit2 (solmate's message).
    const otherPermit = await newPermit(devnet, token, 1_000n);
    const otherSig = await signExactPermit(devnet, other, otherPermit, witness, X402_EXACT_PERMIT2_PROXY);
    expect(await revertName(exactSettle(otherPermit, other.address, witness, otherSig))).toBe(
      "TRANSFER_FROM_FAILED",
    );
    const expired = { ...permit, deadline: (await now(devnet)) - 1n };
    const expiredSig = await signExactPermit(devnet, payer, expired, witness, X402_EXACT_PERMIT2_PROXY);
    expect(await revertName(exactSettle(expired, payer.address, witness, expiredSig))).toBe(
      "SignatureExpired",
    );
  });

  it("settleWithPermit: a payer with no allowance and no ETH pays; the facilitator pays the gas", async () => {
    const key = generatePrivateKey();
    const payer: DevAccount = { address: privateKeyToAccount(key).address, privateKey: key };
    const { payTo } = devnet.accounts;
    const pusd = devnet.tokens.permit2Usd;
    await devnet.mint(payer.address, 50_000n, pusd.address);
    expect(await devnet.allowance(payer.address, PERMIT2_ADDRESS, pusd.address)).toBe(0n);

    const permit = await newPermit(devnet, pusd.address, 20_000n);
    const witness = { to: payTo.address, validAfter: 0n };
    const signature = await signExactPermit(devnet, payer, permit, witness, X402_EXACT_PERMIT2_PROXY);
    const permit2612 = await signPermit2612(devnet, payer, pusd, 20_000n, permit.deadline);
    const simulateWithPermit = (p2612: typeof permit2612) =>
      devnet.publicClient.simulateContract({
        account: privateKeyToAccount(devnet.accounts.facilitator.privateKey),
        address: X402_EXACT_PERMIT2_PROXY,
        abi: exactAbi,
        functionName: "settleWithPermit",
        args: [p2612, permit, payer.address, witness, signature],
      });

    expect(await revertName(simulateWithPermit({ ...permit2612, value: 20_001n }))).toBe(
      "Permit2612AmountMismatch",
    );
    const { request } = await simulateWithPermit(permit2612);
    const receipt = await send(request);
    expect(
      parseEventLogs({ abi: x402ExactPermit2ProxyAbi, logs: receipt.logs }).map((l) => l.eventName),
    ).toEqual(["SettledWithPermit"]);
    expect(await devnet.balanceOf(payer.address, pusd.address)).toBe(30_000n);
    expect(await devnet.publicClient.getBalance({ address: payer.address })).toBe(0n);
    // The permit approved exactly the amount, and Permit2 spent it.
    expect(await devnet.allowance(payer.address, PERMIT2_ADDRESS, pusd.address)).toBe(0n);
  });

  it("settleWithPermit goes on when the EIP-2612 permit fails but an allowance exists", async () => {
    const { payer, payTo } = devnet.accounts;
    const permit = await newPermit(devnet, token, 5_000n);
    const witness = { to: payTo.address, validAfter: 0n };
    const signature = await signExactPermit(devnet, payer, permit, witness, X402_EXACT_PERMIT2_PROXY);
    const badPermit = {
      value: 5_000n,
      deadline: maxUint256,
      v: 27,
      r: keccak256(toHex("r")),
      s: keccak256(toHex("s")),
    };
    const { request } = await devnet.publicClient.simulateContract({
      account: privateKeyToAccount(devnet.accounts.facilitator.privateKey),
      address: X402_EXACT_PERMIT2_PROXY,
      abi: exactAbi,
      functionName: "settleWithPermit",
      args: [badPermit, permit, payer.address, witness, signature],
    });
    const receipt = await send(request);
    const events = parseEventLogs({ abi: x402ExactPermit2ProxyAbi, logs: receipt.logs });
    expect(events.map((l) => l.eventName)).toEqual(["EIP2612PermitFailedWithData", "SettledWithPermit"]);
    const failed = events[0];
    expect(failed?.eventName === "EIP2612PermitFailedWithData" && getAddress(failed.args.owner)).toBe(
      payer.address,
    );
  });
});

describe("x402UptoPermit2Proxy (our stand-in at the canonical address)", () => {
  function uptoSettle(
    permit: Permit,
    amount: bigint,
    owner: Address,
    witness: { to: Address; facilitator: Address; validAfter: bigint },
    signature: `0x${string}`,
    from: DevAccount = devnet.accounts.facilitator,
  ) {
    return devnet.publicClient.simulateContract({
      account: privateKeyToAccount(from.privateKey),
      address: X402_UPTO_PERMIT2_PROXY,
      abi: uptoAbi,
      functionName: "settle",
      args: [permit, amount, owner, witness, signature],
    });
  }

  it("has the official upto witness type", async () => {
    expect(
      await devnet.publicClient.readContract({
        address: X402_UPTO_PERMIT2_PROXY,
        abi: x402UptoPermit2ProxyAbi,
        functionName: "WITNESS_TYPEHASH",
      }),
    ).toBe("0xd4171c445a74218b01d4fd8af34ff1106580ea1e36ff837e64484bfaa2253b75");
  });

  it("settles less than the maximum, only from the named facilitator, never more", async () => {
    const { payer, payTo, facilitator, other } = devnet.accounts;
    const permit = await newPermit(devnet, token, 10_000n);
    const witness = { to: payTo.address, facilitator: facilitator.address, validAfter: 0n };
    const signature = await signUptoPermit(devnet, payer, permit, witness, X402_UPTO_PERMIT2_PROXY);

    expect(await revertName(uptoSettle(permit, 10_001n, payer.address, witness, signature))).toBe(
      "AmountExceedsPermitted",
    );
    expect(await revertName(uptoSettle(permit, 4_000n, payer.address, witness, signature, other))).toBe(
      "UnauthorizedFacilitator",
    );
    expect(await revertName(uptoSettle(permit, 0n, payer.address, witness, signature))).toBe("InvalidAmount");

    const before = await devnet.balanceOf(payTo.address, token);
    const { request } = await uptoSettle(permit, 4_000n, payer.address, witness, signature);
    await send(request);
    expect(await devnet.balanceOf(payTo.address, token)).toBe(before + 4_000n);
    // The nonce is spent: the rest of the maximum cannot be taken later.
    expect(await revertName(uptoSettle(permit, 6_000n, payer.address, witness, signature))).toBe(
      "InvalidNonce",
    );
  });
});

describe("the published test vectors (exact-evm.md §7, upto.md §2.7) verify on our contracts", () => {
  // Signer: anvil key #0 (our deployer); chain 84532; the asset has no code on the devnet, so
  // Permit2's transfer is a no-op call and the settle succeeds exactly when the signature verifies.
  const asset: Address = "0x036CbD53842c5426634e7929541eC2318f3dCF7e";
  const payTo = "0x209693Bc6afc0C5328bA36FaF03C514EF312287C";
  let sepolia: Devnet;
  beforeAll(async () => {
    sepolia = await startDevnet({ chainId: 84532, fundDefaultAccounts: false });
  });
  afterAll(async () => {
    await sepolia?.stop();
  });

  const permit = (amount: bigint) => ({
    permitted: { token: asset, amount },
    nonce: 12345678901234567890n,
    deadline: 1900000000n,
  });

  it("exact", async () => {
    const signature =
      "0xdc936281001a24f7e6a8db45bf94f97ca4a85fe14c8f271a1a1943057e00b5384eaf19da927b804b043d22416641768659454d700bcd6af4d18b619d653d10d11c";
    const call = (witnessTo: Address) =>
      sepolia.publicClient.simulateContract({
        account: privateKeyToAccount(sepolia.accounts.facilitator.privateKey),
        address: X402_EXACT_PERMIT2_PROXY,
        abi: exactAbi,
        functionName: "settle",
        args: [
          permit(10_000n),
          sepolia.accounts.deployer.address,
          { to: witnessTo, validAfter: 0n },
          signature,
        ],
      });
    await expect(call(payTo)).resolves.toBeDefined();
    expect(await revertName(call(sepolia.accounts.payTo.address))).toBe("InvalidSigner");
  });

  it("upto", async () => {
    const signature =
      "0x216e6405e954b01eaf3273d83e01cb889b5fb51e1d33913ec5f45c86013aac5b6128e15f036c13a856b58b9568e7a01b8fe5d27f34a54f974be87108b217f1d01c";
    const call = (amount: bigint, max: bigint) =>
      sepolia.publicClient.simulateContract({
        account: privateKeyToAccount(sepolia.accounts.facilitator.privateKey),
        address: X402_UPTO_PERMIT2_PROXY,
        abi: uptoAbi,
        functionName: "settle",
        args: [
          permit(max),
          amount,
          sepolia.accounts.deployer.address,
          { to: payTo, facilitator: sepolia.accounts.facilitator.address, validAfter: 0n },
          signature,
        ],
      });
    await expect(call(1_000_000n, 5_000_000n)).resolves.toBeDefined();
    expect(await revertName(call(1_000_000n, 4_000_000n))).toBe("InvalidSigner");
  });
});

describe("reentrancy", () => {
  it("a token that calls back into the proxy during settlement meets ReentrancyGuardReentrantCall", async () => {
    const { payer, payTo, facilitator } = devnet.accounts;
    const deployHash = await devnet.walletClient(payer).deployContract({
      abi: reentrantTokenAbi,
      bytecode: reentrantTokenBytecode,
    });
    const evil = (await devnet.publicClient.waitForTransactionReceipt({ hash: deployHash })).contractAddress;
    if (!evil) throw new Error("no token address");
    const witness = { to: payTo.address, validAfter: 0n };
    const permit = await newPermit(devnet, evil, 1n);
    const signature = await signExactPermit(devnet, payer, permit, witness, X402_EXACT_PERMIT2_PROXY);
    const settleArgs = [permit, payer.address, witness, signature] as const;
    const armHash = await devnet.walletClient(payer).writeContract({
      address: evil,
      abi: reentrantTokenAbi,
      functionName: "arm",
      args: [
        X402_EXACT_PERMIT2_PROXY,
        encodeFunctionData({ abi: x402ExactPermit2ProxyAbi, functionName: "settle", args: settleArgs }),
      ],
    });
    await devnet.publicClient.waitForTransactionReceipt({ hash: armHash });

    const { request } = await exactSettle(...settleArgs);
    await send(request, facilitator);
    const lastRevert = await devnet.publicClient.readContract({
      address: evil,
      abi: reentrantTokenAbi,
      functionName: "lastRevert",
    });
    expect(lastRevert).toBe(toFunctionSelector("ReentrancyGuardReentrantCall()"));
  });
});
