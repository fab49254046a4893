export {
  AccountsError,
  DEFAULT_MNEMONIC,
  type DevAccount,
  derivationPath,
  derivePrivateKey,
  devAccounts,
  mnemonicToSeed,
} from './accounts.js'
export { DevChain, DevChainError, type DevChainErrorCode } from './chain.js'
export {
  type AnvilAccount,
  type AnvilState,
  dumpState,
  dumpText,
  gzipHex,
  parseState,
  StateDumpError,
} from './dump.js'
export { ForkState, type Miss, missOf } from './fork.js'
export type { ForkOptions } from './fork-chain.js'
export {
  DEFAULT_BALANCE,
  DEFAULT_GAS_LIMIT,
  type DevGenesis,
  type DevGenesisOptions,
  devGenesis,
  NEWEST_FORK,
  parseHardfork,
} from './genesis.js'
export { DEFAULT_PRIORITY_FEE, devMethods, nextBaseFee } from './methods.js'
export type { DevRecord, DevSnapshot } from './node.js'
export { DevNode, type DevNodeOptions } from './node.js'
export type { DevSetup, ForkSetup } from './setup.js'
export type { TypedDataTypes } from './sign.js'
export {
  hashStruct,
  personalMessageHash,
  signatureHex,
  type TypedData,
  TypedDataError,
  typedDataHash,
} from './sign.js'
export { type FetchFn, ForkError, type ForkErrorCode, Upstream, type UpstreamOptions } from './upstream.js'
