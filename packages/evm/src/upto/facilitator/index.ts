export { encodeUptoSettle } from "./uptoCalldata.js";
export { UptoEvmScheme, type UptoEvmSchemeConfig } from "./uptoEvmScheme.js";
