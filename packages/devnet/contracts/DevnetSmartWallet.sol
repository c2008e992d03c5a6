// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title DevnetSmartWallet
/// @notice A minimal smart-contract wallet for tests: one owner EOA, ERC-1271 signatures (the owner's
/// 65-byte signature over the very hash asked about) and `execute` for the owner (e.g. to approve
/// Permit2). Enough to pay x402 as a contract: EIP-3009 and Permit2 ask it via ERC-1271.
/// @dev Anyone can deploy one through DevnetSmartWalletFactory; never hold value in it.
contract DevnetSmartWallet {
    bytes4 private constant ERC1271_MAGIC_VALUE = 0x1626ba7e;
    bytes4 private constant ERC1271_INVALID = 0xffffffff;
    // secp256k1n / 2: a signature with a larger s is a malleated copy of another one (EIP-2).
    uint256 private constant HALF_CURVE_ORDER = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;

    address public immutable owner;

    error NotOwner();

    constructor(address owner_) {
        owner = owner_;
    }

    receive() external payable {}

    /// @notice ERC-1271: the magic value 0x1626ba7e iff `owner` signed `hash` (no extra prefixing).
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        if (signature.length != 65) return ERC1271_INVALID;
        bytes32 r = bytes32(signature[0:32]);
        bytes32 s = bytes32(signature[32:64]);
        uint8 v = uint8(signature[64]);
        if (uint256(s) > HALF_CURVE_ORDER) return ERC1271_INVALID;
        address signer = ecrecover(hash, v, r, s);
        return signer != address(0) && signer == owner ? ERC1271_MAGIC_VALUE : ERC1271_INVALID;
    }

    /// @notice Calls `to` with `value` and `data` as the wallet; the callee's revert is passed on.
    function execute(address to, uint256 value, bytes calldata data) external returns (bytes memory result) {
        if (msg.sender != owner) revert NotOwner();
        bool ok;
        (ok, result) = to.call{value: value}(data);
        if (!ok) {
            assembly {
                revert(add(result, 0x20), mload(result))
            }
        }
    }
}

/// @title DevnetSmartWalletFactory
/// @notice CREATE2 factory of DevnetSmartWallet: the address follows from (owner, salt) before the
/// wallet exists, which is what an ERC-6492 signature of a counterfactual wallet relies on.
contract DevnetSmartWalletFactory {
    event WalletCreated(address indexed wallet, address indexed owner, bytes32 salt);

    /// @notice Deploys the wallet of (owner, salt), or returns it if it exists (so replays are harmless).
    function createAccount(address owner, bytes32 salt) external returns (address wallet) {
        wallet = getAddress(owner, salt);
        if (wallet.code.length > 0) return wallet;
        new DevnetSmartWallet{salt: salt}(owner);
        emit WalletCreated(wallet, owner, salt);
    }

    /// @notice The CREATE2 address of the wallet of (owner, salt), deployed or not.
    function getAddress(address owner, bytes32 salt) public view returns (address) {
        bytes32 initCodeHash = keccak256(abi.encodePacked(type(DevnetSmartWallet).creationCode, abi.encode(owner)));
        return address(uint160(uint256(keccak256(abi.encodePacked(bytes1(0xff), address(this), salt, initCodeHash)))));
    }
}
