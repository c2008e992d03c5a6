export { eip712Digest, eip712DomainSeparator, transferWithAuthorizationDigest } from "./eip712Digest.js";
export {
  ERC6492_MAGIC_SUFFIX,
  type Erc6492Signature,
  parseErc6492Signature,
  wrapErc6492Signature,
} from "./erc6492.js";
export {
  type PermitWitnessTransferFromFields,
  permit2DomainSeparator,
  permitWitnessTransferFromDigest,
} from "./permit2Digest.js";
export { recoverDigestSigner, recoverDigestSignerWith } from "./recoverSigner.js";
export {
  loadedSecp256k1Backend,
  loadSecp256k1Backend,
  pureSecp256k1Backend,
  type Secp256k1Backend,
} from "./secp256k1Backend.js";
