export const dynamic = "force-dynamic";

// Priced by proxy.ts with settlementPhase "before-handler": already paid when this runs.
export async function GET() {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      for (const [i, price] of ["101.2", "101.4", "101.1"].entries()) {
        if (i > 0) await new Promise((resolve) => setTimeout(resolve, 200));
        controller.enqueue(
          encoder.encode(`event: tick\ndata: ${JSON.stringify({ symbol: "ETH/USD", price })}\n\n`),
        );
      }
      controller.close();
    },
  });
  return new Response(body, {
    headers: { "content-type": "text/event-stream", "cache-control": "no-cache" },
  });
}
