/** One endpoint of the service: the methods it answers and whether it needs the API key. */
export interface FacilitatorRoute {
  methods: readonly string[];
  protected: boolean;
}

/**
 * The endpoints of a facilitator service. `/health` stays open so load balancers and
 * orchestrators can probe without a key; everything else sits behind it when one is set.
 * HEAD is answered like GET (Node sends no body for HEAD).
 */
export const FACILITATOR_ROUTES: Readonly<Record<string, FacilitatorRoute>> = {
  "/verify": { methods: ["POST"], protected: true },
  "/settle": { methods: ["POST"], protected: true },
  "/supported": { methods: ["GET", "HEAD"], protected: true },
  "/health": { methods: ["GET", "HEAD"], protected: false },
};

/**
 * The route path of a request URL: the query is dropped, `basePath` removed and trailing
 * slashes trimmed. `undefined` when the URL lies outside `basePath`.
 *
 * @example
 * ```ts
 * routePath("/facilitator/verify/?x=1", "/facilitator"); // "/verify"
 * ```
 */
export function routePath(url: string, basePath = ""): string | undefined {
  const path = url.split(/[?#]/, 1)[0] as string;
  const base = basePath.replace(/\/+$/, "");
  if (base && path !== base && !path.startsWith(`${base}/`)) return undefined;
  return path.slice(base.length).replace(/\/+$/, "") || "/";
}
