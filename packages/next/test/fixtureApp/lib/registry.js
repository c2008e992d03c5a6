import { NextResponse } from "next/server";

// The running test registers its handlers under the port it serves this app on.
function appFor(request) {
  return globalThis.__x402kitNextApps?.get(request.nextUrl.port);
}

/** A route handler that hands the request to the test's handler for `name`. */
export function route(name) {
  return async (request, context) => {
    const app = appFor(request);
    if (!app) return new Response("no app registered", { status: 503 });
    return app.route(name, request, context);
  };
}

/** The proxy: the test's proxy if it registered one, else straight through. */
export function runProxy(request) {
  const app = appFor(request);
  return app?.proxy ? app.proxy(request) : NextResponse.next();
}
