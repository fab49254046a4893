export {
  type Address,
  addressToHex,
  create2Address,
  createAddress,
  isAddress,
  isAddressBytes,
  parseAddress,
  publicKeyToAddress,
  toChecksumAddress,
} from './address.js'
export {
  bigIntToBytes,
  bytesToBigInt,
  bytesToNumber,
  bytesToUtf8,
  compareBytes,
  concatBytes,
  EMPTY_BYTES,
  equalBytes,
  numberToBytes,
  padLeft,
  stripLeadingZeros,
  utf8ToBytes,
} from './bytes.js'
export { AddressError, CrucibleError, HexError, RlpError, ValueRangeError } from './errors.js'
export {
  bytesToHex,
  bytesToUnprefixedHex,
  type Hex,
  hexToBigInt,
  hexToBytes,
  hexToNumber,
  isHex,
  numberToHex,
} from './hex.js'
export { KECCAK256_EMPTY, KECCAK256_RLP_EMPTY, KECCAK256_RLP_EMPTY_LIST, keccak256 } from './keccak.js'
export {
  decodeRlp,
  decodeRlpPrefix,
  encodeRlp,
  type RlpInput,
  type RlpItem,
  rlpBigInt,
  rlpBytes,
  rlpFixedBytes,
  rlpList,
  rlpNumber,
} from './rlp.js'
export {
  byteAt,
  fromSigned,
  MAX_INT256,
  MAX_UINT256,
  MIN_INT256,
  SIGN_BIT,
  signExtend,
  toSigned,
  toWord,
  WORD_MODULUS,
  wordToBytes,
} from './word.js'
