export {
  type ChainConfig,
  chainAtFork,
  devChain,
  type ForkActivation,
  forkAt,
  mainnet,
  rulesAt,
  rulesFor,
} from './chain.js'
export { MAX_NONCE } from './eip2681.js'
export {
  DELEGATION_LENGTH,
  DELEGATION_PREFIX,
  delegationDesignator,
  delegationTarget,
  SET_CODE_MAGIC,
} from './eip7702.js'
export { FORK_EIPS, FORK_REMOVED_EIPS } from './eips.js'
export { chainFromFixtureNetwork, forkFromFixtureName } from './fixtures.js'
export type { Positions } from './fork.js'
export { FORK_NAMES, Fork, type ForkId, type ForkName, isForkName } from './fork.js'
export { type BlobParams, CONSTANTS, FORK_PARAMS, type ForkParams, SYSTEM_ADDRESSES } from './params.js'
export { ForkError, type ForkRules, getForkRules, withBlobParams } from './rules.js'
