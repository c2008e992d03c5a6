export { ExactAptosScheme } from "./exactAptosScheme.js";
export { type AptosClientConfig, registerExactAptosScheme } from "./register.js";
export { type ClientAptosConfig, type ClientAptosSigner, createClientSigner } from "./signer.js";
