export {
  type ClientRun,
  mainClientExample,
  type PayOptions,
  type PayOrdersApi,
  runClientExample,
} from "./clientExample.js";
export {
  type ApiContext,
  type LocalStack,
  type LocalStackOptions,
  PRICE_ATOMIC,
  type RunningApi,
  type StartApi,
  startLocalStack,
} from "./localStack.js";
export { runningServer } from "./nodeServer.js";
export { startOrdersApi } from "./ordersApi.js";
export type { PaidCall } from "./paidCall.js";
export { payOnce } from "./payOnce.js";
export { type ServeExampleOptions, serveExample } from "./serveExample.js";
export { localSpendControls } from "./spendControls.js";
