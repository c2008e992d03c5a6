import { describeError } from "../errors.js";
import type { PaymentPayload, PaymentRequired } from "../protocol/types.js";
import type {
  AfterPaymentCreationHook,
  BeforePaymentCreationHook,
  HookAnswer,
  OnPaymentCreationFailureHook,
  OnPaymentResponseHook,
  PaymentCreatedContext,
  PaymentCreationContext,
  PaymentCreationFailureContext,
  PaymentResponseContext,
  SchemeClient,
  SchemeClientHooks,
} from "../schemes/client.js";

type Awaitable<T> = T | Promise<T>;

/**
 * Hooks of a client extension; each receives the server's declaration of the extension
 * first, and runs only for 402s that declared it.
 *
 * @example
 * ```ts
 * const hooks: ClientExtensionHooks = { onAfterPaymentCreation: async (declaration, ctx) => audit(declaration, ctx) };
 * ```
 */
export interface ClientExtensionHooks {
  onBeforePaymentCreation?: (
    declaration: unknown,
    context: PaymentCreationContext,
  ) => Awaitable<HookAnswer<{ abort: true; reason: string; message?: string }>>;
  onAfterPaymentCreation?: (declaration: unknown, context: PaymentCreatedContext) => Awaitable<void>;
  onPaymentCreationFailure?: (
    declaration: unknown,
    context: PaymentCreationFailureContext,
  ) => Awaitable<HookAnswer<{ recovered: true; payload: PaymentPayload }>>;
  onPaymentResponse?: (
    declaration: unknown,
    context: PaymentResponseContext,
  ) => Awaitable<HookAnswer<{ recovered: true }>>;
}

/**
 * A client extension: adds its data to payments for servers that advertise its `key` in
 * `PaymentRequired.extensions` (and is never called for servers that do not).
 *
 * @example
 * ```ts
 * client.registerExtension({
 *   key: "payment-identifier",
 *   enrichPaymentPayload: async (payload) => ({
 *     ...payload,
 *     extensions: { ...payload.extensions, "payment-identifier": { info: { id: crypto.randomUUID() } } },
 *   }),
 * });
 * ```
 */
export interface ClientExtension {
  /** The extension key, as the server writes it in `PaymentRequired.extensions`. */
  key: string;
  /** Return the payload with this extension's data added; server-declared fields are kept. */
  enrichPaymentPayload?: (
    payload: PaymentPayload,
    paymentRequired: PaymentRequired,
  ) => Promise<PaymentPayload>;
  hooks?: ClientExtensionHooks;
  /** Hooks per transport; `http` takes {@link HTTPClientExtensionHooks}. */
  transportHooks?: ClientTransportExtensionHooks;
}

/** An extension's hooks per transport name (`http`, …). */
export interface ClientTransportExtensionHooks {
  http?: HTTPClientExtensionHooks;
  [transport: string]: unknown;
}

/**
 * HTTP hooks of a client extension; like the HTTP client's own, run only for 402s that
 * declare the extension (e.g. sign-in before paying).
 *
 * @example
 * ```ts
 * const http: HTTPClientExtensionHooks = { onPaymentRequired: async (declaration) => ({ headers: await signIn(declaration) }) };
 * ```
 */
export interface HTTPClientExtensionHooks {
  onPaymentRequired?: (
    declaration: unknown,
    context: { paymentRequired: PaymentRequired; requestUrl: string },
  ) => Promise<HookAnswer<{ headers: Record<string, string> }>>;
}

/** The four client hook lists, in the order they run: the client's own, the scheme's, extensions'. */
export class ClientHooks {
  readonly before: BeforePaymentCreationHook[] = [];
  readonly after: AfterPaymentCreationHook[] = [];
  readonly failure: OnPaymentCreationFailureHook[] = [];
  readonly response: OnPaymentResponseHook[] = [];

  /** Own hooks, then `scheme.schemeHooks[name]`, then the hooks of extensions in `declared`. */
  collect<K extends keyof SchemeClientHooks>(
    name: K,
    scheme: SchemeClient | undefined,
    extensions: readonly ClientExtension[],
    declared: Record<string, unknown> | null | undefined,
  ): Array<NonNullable<SchemeClientHooks[K]>> {
    const own = {
      onBeforePaymentCreation: this.before,
      onAfterPaymentCreation: this.after,
      onPaymentCreationFailure: this.failure,
      onPaymentResponse: this.response,
    }[name] as Array<NonNullable<SchemeClientHooks[K]>>;
    const hooks = [...own];
    const schemeHook = scheme?.schemeHooks?.[name];
    if (schemeHook) hooks.push(schemeHook.bind(scheme.schemeHooks) as NonNullable<SchemeClientHooks[K]>);
    for (const extension of extensions) {
      const hook = extension.hooks?.[name];
      if (!hook || !declared || !Object.hasOwn(declared, extension.key)) continue;
      const declaration = declared[extension.key];
      hooks.push(((ctx: never) => (hook as (d: unknown, c: never) => unknown)(declaration, ctx)) as never);
    }
    return hooks;
  }
}

/**
 * Run hooks in order until one returns a value. A throwing hook is reported and skipped,
 * except in a gate (`gateReason` set), where it aborts with that reason: a failed check
 * must not let a payment through.
 */
export async function firstAnswer<C, R>(
  hooks: ReadonlyArray<(context: C) => Awaitable<HookAnswer<R>>>,
  context: C,
  gateReason?: string,
): Promise<R | undefined> {
  for (const hook of hooks) {
    try {
      const result = await hook(context);
      if (result !== undefined && result !== null) return result as R;
    } catch (error) {
      if (gateReason) return { abort: true, reason: gateReason, message: describeError(error) } as R;
      reportHookError(error);
    }
  }
  return undefined;
}

/** Run every hook (each sees the same context); true when any answered `{ recovered: true }`. */
export async function everyAnswer<C>(
  hooks: ReadonlyArray<(context: C) => Awaitable<HookAnswer<{ recovered: true }>>>,
  context: C,
): Promise<boolean> {
  let recovered = false;
  for (const hook of hooks) {
    try {
      if ((await hook(context))?.recovered === true) recovered = true;
    } catch (error) {
      reportHookError(error);
    }
  }
  return recovered;
}

/** Run observers; errors are reported, never thrown. */
export async function notifyAll<C>(
  hooks: ReadonlyArray<(context: C) => Awaitable<void>>,
  context: C,
): Promise<void> {
  for (const hook of hooks) {
    try {
      await hook(context);
    } catch (error) {
      reportHookError(error);
    }
  }
}

function reportHookError(error: unknown): void {
  console.error("[x402kit] a client hook threw; the payment flow went on without it:", error);
}
