import type {
  PaymentPayload,
  PaymentRequirements,
  SettleResponse,
  SupportedResponse,
  VerifyResponse,
} from "../protocol/types.js";

/**
 * A framework-free HTTP request to a facilitator service.
 *
 * @example
 * ```ts
 * const request: FacilitatorHttpRequest = { method: "POST", path: "/verify", body: json };
 * ```
 */
export interface FacilitatorHttpRequest {
  method: string;
  /** Path relative to the service root, e.g. `/verify`. */
  path: string;
  /** Parsed JSON body (`undefined` when absent or not JSON). */
  body?: unknown;
  /** Query parameters (extension routes such as `/discovery/resources?limit=10` read them). */
  query?: URLSearchParams;
  /** Request headers, lower-case names. */
  headers?: Record<string, string | string[] | undefined>;
}

/**
 * The answer to a {@link FacilitatorHttpRequest}: a status and a JSON body.
 *
 * @example
 * ```ts
 * const answer: FacilitatorHttpResponse = { status: 200, body: { items: [] } };
 * ```
 */
export interface FacilitatorHttpResponse {
  status: number;
  body: unknown;
  /** Extra response headers. */
  headers?: Record<string, string>;
}

/**
 * An endpoint a facilitator extension adds to the service (e.g. bazaar's
 * `GET /discovery/resources`).
 *
 * @example
 * ```ts
 * const route: FacilitatorExtensionRoute = {
 *   method: "GET",
 *   path: "/discovery/resources",
 *   handle: ({ query }) => ({ status: 200, body: { items: catalog.list(query?.get("type")) } }),
 * };
 * ```
 */
export interface FacilitatorExtensionRoute {
  /** `GET`, `POST`, … (`HEAD` is answered like `GET`). */
  method: string;
  /** Path relative to the service root, starting with `/`. */
  path: string;
  /** False to serve it without the service's API key (like `/health`). Default true. */
  protected?: boolean;
  handle(request: FacilitatorHttpRequest): FacilitatorHttpResponse | Promise<FacilitatorHttpResponse>;
}

/**
 * A facilitator extension: its key goes to `/supported.extensions`, schemes reach it through
 * {@link FacilitatorContext.getExtension} (e.g. a gas-sponsoring signer), `supported()` adds
 * data to `/supported` (under `extensionData[key]`) and `routes` add endpoints. The official
 * `{ key, …capabilities }` objects fit as they are.
 *
 * @example
 * ```ts
 * facilitator.registerExtension({
 *   key: "bazaar",
 *   supported: () => ({ discovery: "/discovery/resources" }),
 *   routes: [{ method: "GET", path: "/discovery/resources", handle: () => ({ status: 200, body: { items: [] } }) }],
 * });
 * ```
 */
export interface FacilitatorExtension {
  readonly key: string;
  /** Data published in `/supported` under `extensionData[key]`. */
  supported?(): unknown;
  /** Endpoints this extension adds to the facilitator service. */
  readonly routes?: readonly FacilitatorExtensionRoute[];
  /** Capabilities schemes look up (official extensions carry e.g. a signer). */
  readonly [capability: string]: unknown;
}

/**
 * Context given to facilitator schemes.
 *
 * @example
 * ```ts
 * const sponsor = context?.getExtension<GasSponsor>("eip2612GasSponsoring");
 * ```
 */
export interface FacilitatorContext {
  /** A registered facilitator extension by key. */
  getExtension<T extends FacilitatorExtension = FacilitatorExtension>(key: string): T | undefined;
}

/**
 * Facilitator side of one scheme: verifies and settles payloads on a chain. A scheme
 * registered with `registerV1` receives v1 payloads and requirements (cast to these types).
 *
 * @example
 * ```ts
 * facilitator.register("eip155:8453", new ExactEvmScheme(signer));
 * ```
 */
export interface SchemeFacilitator {
  readonly scheme: string;
  /** Pattern that groups this scheme's signers in `/supported`, e.g. `eip155:*`. */
  readonly caipFamily: string;
  /** `kinds[].extra` for a network (e.g. a fee payer). */
  getExtra(network: string): Record<string, unknown> | undefined;
  /** Addresses the facilitator pays or signs from on a network. */
  getSigners(network: string): string[];
  verify(
    payload: PaymentPayload,
    requirements: PaymentRequirements,
    context?: FacilitatorContext,
  ): Promise<VerifyResponse>;
  settle(
    payload: PaymentPayload,
    requirements: PaymentRequirements,
    context?: FacilitatorContext,
  ): Promise<SettleResponse>;
}

/**
 * Anything a chain package's `register…Scheme(facilitator, …)` can register into: the
 * facilitator engine's `register(networks, scheme)` (v2) and, when present, `registerV1`.
 *
 * @example
 * ```ts
 * function registerMyScheme<F extends SchemeFacilitatorRegistry>(facilitator: F): F {
 *   facilitator.register("mychain:1", new MyScheme());
 *   return facilitator;
 * }
 * ```
 */
export interface SchemeFacilitatorRegistry {
  register(networks: string | string[], scheme: SchemeFacilitator): unknown;
  registerV1?(networks: string | string[], scheme: SchemeFacilitator): unknown;
}

/**
 * The three-method facilitator interface a resource server talks to (HTTP or in-process).
 *
 * @example
 * ```ts
 * const client: FacilitatorClient = new HTTPFacilitatorClient({ url });
 * ```
 */
export interface FacilitatorClient {
  verify(payload: PaymentPayload, requirements: PaymentRequirements): Promise<VerifyResponse>;
  settle(payload: PaymentPayload, requirements: PaymentRequirements): Promise<SettleResponse>;
  getSupported(): SupportedResponse | Promise<SupportedResponse>;
}
