/** What the worker sells and where it settles, baked into the bundle by the test. */
export interface WorkerConfig {
  facilitatorUrl: string;
  network: `${string}:${string}`;
  payTo: string;
  asset: string;
  assetExtra: { name: string; version: string };
  /** Atomic units of `asset`. */
  amount: string;
}
