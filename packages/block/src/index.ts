export type { Log } from '@crucible/evm-types'
export {
  type Block,
  decodeBlock,
  encodeBlock,
  type Withdrawal,
  withdrawalFromRlp,
  withdrawalToRlp,
} from './body/block.js'
export { BLOOM_BYTES, type BloomLog, bloomAdd, bloomMerge, logsBloom } from './body/bloom.js'
export { encodeReceipt, type Receipt } from './body/receipt.js'
export { ommersHash, orderedTrieRoot, receiptsRoot, transactionsRoot, withdrawalsRoot } from './body/roots.js'
export { validateBody } from './body/validate.js'
export { Blockchain, type BlockchainOptions, type ImportResult } from './chain/chain.js'
export { ChainError, type ChainErrorCode } from './chain/errors.js'
export { chainFromGethConfig, type GethGenesis, genesisHeader, normalizeAlloc } from './chain/genesis.js'
export {
  applyHeadChange,
  type ChainStore,
  type HeadChange,
  MemoryChainStore,
  type StoredBlock,
} from './chain/store.js'
export { MAX_UNCLE_DEPTH, MAX_UNCLES, validateUncles } from './chain/uncles.js'
export { BlockError, type BlockErrorReason } from './errors.js'
export {
  type BlockResult,
  type BlockState,
  blockEnv,
  type ExecuteOptions,
  executeBlock,
} from './exec/apply.js'
export { DAO_ACCOUNTS, DAO_RECOVERY } from './exec/dao.js'
export { defaultVm, evmVm } from './exec/evm.js'
export {
  CONSOLIDATION_REQUEST_TYPE,
  DEPOSIT_EVENT_TOPIC,
  DEPOSIT_REQUEST_TYPE,
  depositRequestData,
  depositRequests,
  EMPTY_REQUESTS_HASH,
  requestsHash,
  WITHDRAWAL_REQUEST_TYPE,
} from './exec/requests.js'
export { validateResult } from './exec/validate.js'
export type { InclusionContext, SystemCallOutcome, TransactionOutcome, Vm } from './exec/vm.js'
export { calcDifficulty, type DifficultyParent, MINIMUM_DIFFICULTY } from './header/difficulty.js'
export {
  calcBaseFee,
  calcBlobBaseFee,
  calcExcessBlobGas,
  checkGasLimit,
  fakeExponential,
} from './header/fees.js'
export {
  type BlockHeader,
  decodeHeader,
  encodeHeader,
  headerFromRlp,
  headerHash,
  headerToRlp,
} from './header/header.js'
export { type HeaderJson, headerFromJson } from './header/json.js'
export { type HeaderContext, MAX_GAS_LIMIT, validateHeader } from './header/validate.js'
