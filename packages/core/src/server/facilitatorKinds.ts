import { describeError, X402Error } from "../errors.js";
import { FacilitatorCapabilityError } from "../http/facilitatorErrors.js";
import type { Network, SupportedKind } from "../protocol/types.js";
import type { FacilitatorClient, SchemeServer } from "../schemes/index.js";

/** The facilitator that serves one kind (version, network, scheme), as its `/supported` said. */
export interface FacilitatorKind {
  client: FacilitatorClient;
  kind: SupportedKind;
  extensions: string[];
}

/**
 * Which facilitator serves which kind: loaded from every facilitator's `/supported`, earlier
 * facilitators winning a kind they share, and checked against the registered schemes.
 *
 * @example
 * ```ts
 * const kinds = new FacilitatorKinds();
 * await kinds.load([facilitator], (kind) => schemes.find(kind.x402Version, kind.network, kind.scheme));
 * kinds.get(2, "eip155:8453", "exact")?.client;
 * ```
 */
export class FacilitatorKinds {
  private readonly kinds = new Map<string, FacilitatorKind>();

  get(x402Version: number, network: string, scheme: string): FacilitatorKind | undefined {
    return this.kinds.get(kindKey(x402Version, network, scheme));
  }

  /**
   * Ask every facilitator for `/supported`. Throws `FacilitatorCapabilityError` when a scheme
   * refuses what its facilitator offers, `facilitator_unavailable` (502) when none answered.
   */
  async load(
    facilitators: readonly FacilitatorClient[],
    schemeOf: (kind: SupportedKind) => SchemeServer | undefined,
  ): Promise<void> {
    const answers = await Promise.allSettled(facilitators.map(async (f) => f.getSupported()));
    const failures: string[] = [];
    answers.forEach((answer, i) => {
      if (answer.status === "rejected") {
        failures.push(describeError(answer.reason));
        return;
      }
      const client = facilitators[i] as FacilitatorClient;
      for (const kind of answer.value.kinds) {
        const key = kindKey(kind.x402Version, kind.network, kind.scheme);
        if (!this.kinds.has(key)) this.kinds.set(key, { client, kind, extensions: answer.value.extensions });
      }
    });
    const problems: string[] = [];
    for (const { kind, extensions } of this.kinds.values()) {
      const problem = schemeOf(kind)?.validateFacilitatorSupport?.(kind.network as Network, kind, extensions);
      if (problem) problems.push(`${kind.scheme} on ${kind.network}: ${problem}`);
    }
    if (problems.length > 0) {
      this.kinds.clear();
      throw new FacilitatorCapabilityError(problems);
    }
    if (failures.length === facilitators.length)
      throw new X402Error(
        "facilitator_unavailable",
        `no facilitator answered /supported: ${failures.join("; ")}`,
        {
          status: 502,
        },
      );
  }
}

function kindKey(x402Version: number, network: string, scheme: string): string {
  return `${x402Version}|${network}|${scheme}`;
}
