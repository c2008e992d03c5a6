export { UptoEvmScheme } from "./uptoEvmScheme.js";
