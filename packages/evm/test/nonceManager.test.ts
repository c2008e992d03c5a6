import { describe, expect, it } from "vitest";
import { GasFees, GasPriceAboveCapError, NonceManager, SIGNER_BUSY } from "../src/exact/facilitator/index.js";

/** A node's pending count as a test double: counts reads, answers what the test sets. */
function fakePendingCount(start: number) {
  const state = { value: start, reads: 0 };
  const read = async () => {
    state.reads++;
    return state.value;
  };
  return { state, read };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe("NonceManager", () => {
  it("reads the node once, then counts locally, handing out distinct nonces in call order", async () => {
    const node = fakePendingCount(7);
    const nonces = new NonceManager(node.read);
    const used = await Promise.all(
      Array.from({ length: 20 }, () =>
        nonces.run(async (nonce) => {
          await tick();
          return nonce;
        }),
      ),
    );
    expect(used).toEqual(Array.from({ length: 20 }, (_, i) => 7 + i));
    expect(node.state.reads).toBe(1);
  });

  it("runs one send at a time per account, and reports how many wait", async () => {
    const nonces = new NonceManager(fakePendingCount(0).read);
    let running = 0;
    let most = 0;
    const runs = Array.from({ length: 5 }, () =>
      nonces.run(async () => {
        running++;
        most = Math.max(most, running);
        await tick();
        running--;
      }),
    );
    expect(nonces.busy).toBe(5);
    await Promise.all(runs);
    expect(most).toBe(1);
    expect(nonces.busy).toBe(0);
  });

  it("asks the node again after a failed send, so a nonce that never reached it is reused (no gap)", async () => {
    const node = fakePendingCount(3);
    const nonces = new NonceManager(node.read);
    expect(await nonces.run(async (n) => n)).toBe(3);
    await expect(
      nonces.run(async () => {
        throw new Error("refused");
      }),
    ).rejects.toThrow("refused");
    node.state.value = 4; // the node took 3 only
    const after = await Promise.all([nonces.run(async (n) => n), nonces.run(async (n) => n)]);
    expect(after).toEqual([4, 5]);
    expect(node.state.reads).toBe(2);
  });

  it("continues after transactions taken elsewhere when the node says so (resync)", async () => {
    const node = fakePendingCount(0);
    const nonces = new NonceManager(node.read);
    await nonces.run(async (n) => n);
    node.state.value = 10;
    nonces.resync();
    expect(await nonces.run(async (n) => n)).toBe(10);
  });
});

/** Chain fee answers as a test double. */
function fakeFeeReader(fees: { baseFee?: bigint; tip?: bigint; gasPrice?: bigint }) {
  const calls = { blocks: 0 };
  return {
    calls,
    reader: {
      getBlock: async () => {
        calls.blocks++;
        return { baseFeePerGas: fees.baseFee ?? null };
      },
      estimateMaxPriorityFeePerGas: async () => fees.tip ?? 0n,
      getGasPrice: async () => fees.gasPrice ?? 0n,
    } as never,
  };
}

describe("GasFees", () => {
  it("offers 2 × base fee + tip without a cap", async () => {
    const { reader } = fakeFeeReader({ baseFee: 100n, tip: 5n });
    expect(await new GasFees(reader).pick()).toEqual({
      type: "eip1559",
      maxFeePerGas: 205n,
      maxPriorityFeePerGas: 5n,
    });
  });

  it("lowers maxFeePerGas to the cap, and uses the configured tip", async () => {
    const { reader } = fakeFeeReader({ baseFee: 100n, tip: 5n });
    const fees = new GasFees(reader, { maxFeePerGasWei: 150n, priorityFeePerGasWei: 2n });
    expect(await fees.pick()).toEqual({ type: "eip1559", maxFeePerGas: 150n, maxPriorityFeePerGas: 2n });
  });

  it("refuses when base fee + tip is above the cap", async () => {
    const { reader } = fakeFeeReader({ baseFee: 100n, tip: 5n });
    const refused = new GasFees(reader, { maxFeePerGasWei: 104n }).pick();
    await expect(refused).rejects.toBeInstanceOf(GasPriceAboveCapError);
    await expect(refused).rejects.toMatchObject({
      reason: "settle_evm_gas_price_above_cap",
      requiredWei: 105n,
      capWei: 104n,
    });
  });

  it("uses the legacy gas price on chains without a base fee, capped the same way", async () => {
    const { reader } = fakeFeeReader({ gasPrice: 30n });
    expect(await new GasFees(reader).pick()).toEqual({ type: "legacy", gasPrice: 30n });
    await expect(new GasFees(reader, { maxFeePerGasWei: 29n }).pick()).rejects.toBeInstanceOf(
      GasPriceAboveCapError,
    );
  });

  it("shares one fee read across concurrent sends", async () => {
    const { reader, calls } = fakeFeeReader({ baseFee: 1n });
    const fees = new GasFees(reader);
    await Promise.all(Array.from({ length: 10 }, () => fees.pick()));
    expect(calls.blocks).toBe(1);
  });
});

describe("NonceManager queue bound", () => {
  it("gives up a send that waited longer than the bound for its turn, before it takes a nonce", async () => {
    const node = fakePendingCount(3);
    const nonces = new NonceManager(node.read, 20);
    let release: () => void = () => undefined;
    const slow = nonces.run(async (nonce) => {
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      return nonce;
    });
    const used: number[] = [];
    const queued = nonces.run(async (nonce) => {
      used.push(nonce);
      return nonce;
    });
    await new Promise((resolve) => setTimeout(resolve, 40));
    release();
    expect(await slow).toBe(3);
    await expect(queued).rejects.toMatchObject({ name: "SignerBusyError", reason: SIGNER_BUSY });
    expect(used).toEqual([]); // nothing was signed for it
    expect(await nonces.run(async (nonce) => nonce)).toBe(4); // the nonce is still free
  });
});
