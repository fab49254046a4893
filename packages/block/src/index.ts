export {
  type Block,
  decodeBlock,
  encodeBlock,
  type Withdrawal,
  withdrawalFromRlp,
  withdrawalToRlp,
} from './body/block.js'
export { BLOOM_BYTES, bloomAdd, bloomMerge, logsBloom } from './body/bloom.js'
export { encodeReceipt, type Log, type Receipt } from './body/receipt.js'
export { ommersHash, orderedTrieRoot, receiptsRoot, transactionsRoot, withdrawalsRoot } from './body/roots.js'
export { BlockError, type BlockErrorReason } from './errors.js'
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
