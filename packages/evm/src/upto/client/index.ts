export {
  createPermit2ApprovalTx,
  erc20AllowanceAbi,
  getPermit2AllowanceReadParams,
  type Permit2AllowanceParams,
} from "../../exact/client/permit2Approval.js";
export { UptoEvmScheme } from "./uptoEvmScheme.js";
