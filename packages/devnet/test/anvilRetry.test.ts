import { createServer, type Server } from "node:net";
import { afterAll, describe, expect, it, vi } from "vitest";

// The first "free" port handed out is one we hold, simulating another process grabbing the port
// between the probe and anvil's bind.
const blocker: Server = createServer();
const blockedPort = await new Promise<number>((resolve) =>
  blocker.listen(0, "127.0.0.1", () => resolve((blocker.address() as { port: number }).port)),
);
const probes = vi.hoisted(() => ({ count: 0 }));
vi.mock("../src/freePort.js", async (importOriginal) => {
  const original = await importOriginal<typeof import("../src/freePort.js")>();
  return {
    getFreePort: () => (probes.count++ === 0 ? Promise.resolve(blockedPort) : original.getFreePort()),
  };
});
const { startAnvil } = await import("../src/anvil.js");

afterAll(() => {
  blocker.close();
});

describe("startAnvil port retry", () => {
  it("retries once on a fresh port when its chosen port was taken", async () => {
    const anvil = await startAnvil();
    try {
      expect(probes.count).toBe(2);
      expect(anvil.port).not.toBe(blockedPort);
    } finally {
      await anvil.stop();
    }
  });
});
