// The EVM's forms of these (defined in @crucible/evm-types), re-exported for users of this package.
export type { AccessListEntry, Authorization, TransactionInput } from '@crucible/evm-types'
export { authorizationSigningHash, recoverAuthority, signAuthorization } from './authorization.js'
export {
  BLOB_SIZE,
  CELLS_PER_EXT_BLOB,
  type DecodeOptions,
  decodeBlockTransaction,
  decodeNetworkTransaction,
  decodeTransaction,
  isTypedTransactionType,
  KZG_COMMITMENT_SIZE,
  KZG_PROOF_SIZE,
} from './decode.js'
export {
  blockTransactionItem,
  encodeNetworkTransaction,
  encodeTransaction,
  signingHash,
  signingPayload,
  transactionFields,
  transactionHash,
} from './encode.js'
export {
  TransactionError,
  TxDecodeError,
  type TxErrorDetails,
  type TxRejection,
  TxSignatureError,
  TxValidationError,
} from './errors.js'
export { calldataTokens, floorGas, type IntrinsicGasFields, intrinsicGas } from './gas.js'
export {
  type RpcAccessListEntry,
  type RpcAuthorization,
  type RpcTransaction,
  type RpcTransactionContext,
  transactionFromRpc,
  transactionToRpc,
} from './json.js'
export { normalizeTransaction } from './normalize.js'
export {
  checkSignatureValues,
  privateKeyToAddress,
  recoverAddress,
  recoverSender,
  SECP256K1_N,
  SECP256K1_N_HALF,
  type SignatureParts,
  type SignatureRules,
  signatureParts,
  signatureRules,
  signHash,
  signTransaction,
} from './signature.js'
export {
  type AccessListTransaction,
  type AuthorizationRequest,
  type BlobSidecar,
  type BlobTransaction,
  type FeeMarketTransaction,
  type LegacyTransaction,
  type SetCodeTransaction,
  type SignedAuthorization,
  type Transaction,
  TxType,
  type Unsigned,
  type UnsignedTransaction,
} from './types.js'
export {
  commitmentToVersionedHash,
  type TransactionGas,
  type TransactionRuleFields,
  type ValidatedTransaction,
  validateTransaction,
  validateTransactionRules,
} from './validate.js'
