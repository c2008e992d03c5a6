export { ExactEvmSchemeV1 } from "../exact/v1/client/exactEvmSchemeV1.js";
export {
  EVM_NETWORK_CHAIN_ID_MAP,
  type EvmNetworkV1,
  evmNetworkFromV1,
  evmNetworkNameV1,
  evmNetworksV1,
  getEvmChainIdV1,
  NETWORKS,
  registerEvmNetworkV1,
  tryGetEvmChainIdV1,
} from "./networks.js";
