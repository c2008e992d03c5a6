import type { NextRequest } from "next/server";
import type { RouteContext } from "./nextApp.js";

/** The body every paid handler answers with; it must never appear unpaid. */
export const PAID_BODY = "paid-content-7f3a";

type Handler = (request: NextRequest, context: RouteContext) => Promise<Response>;

/** Route handlers for the fixture app, the conformance contract's routes; `hit` counts runs. */
export function contractHandlers(hit: (name: string) => void): Record<string, Handler> {
  const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  return {
    paid: async () => {
      hit("paid");
      return Response.json({ content: PAID_BODY });
    },
    wildcard: async () => {
      hit("wildcard");
      return new Response(PAID_BODY, { headers: { "content-type": "text/plain" } });
    },
    fails: async () => {
      hit("fails");
      return new Response("handler failed", { status: 500, headers: { "content-type": "text/plain" } });
    },
    stream: async () => {
      hit("stream");
      const encoder = new TextEncoder();
      const body = new ReadableStream<Uint8Array>({
        async start(controller) {
          controller.enqueue(encoder.encode("data: one\n\n"));
          await wait(50);
          controller.enqueue(encoder.encode("data: two\n\n"));
          await wait(50);
          controller.enqueue(encoder.encode(`data: ${PAID_BODY}\n\n`));
          controller.close();
        },
      });
      return new Response(body, { headers: { "content-type": "text/event-stream" } });
    },
    upfront: async () => {
      hit("upfront");
      return Response.json({ content: PAID_BODY });
    },
    dynamic: async (_request, context) => {
      hit("dynamic");
      return Response.json({ city: (await context.params).city });
    },
    free: async () => {
      hit("free");
      return new Response("free", { headers: { "content-type": "text/plain" } });
    },
  };
}

/** The route-table key of each contract route (for wrapping one handler with `withX402`). */
export const ROUTE_KEYS: Record<string, string> = {
  paid: "GET /paid",
  wildcard: "/api/*",
  fails: "GET /fails",
  stream: "GET /stream",
  upfront: "GET /upfront",
  dynamic: "GET /weather/:city",
};

/** Only the wildcard route answers every method; the others are GET (and HEAD) routes. */
export function allowsMethod(name: string, method: string): boolean {
  return name === "wildcard" || method === "GET" || method === "HEAD";
}
