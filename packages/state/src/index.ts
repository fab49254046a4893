export { Account, EMPTY_STORAGE_ROOT } from './account.js'
export { type Alloc, type AllocAccount, dumpAlloc, loadAlloc } from './alloc.js'
export type { AccountData, BaseAccount, StateBackend, StateBase } from './backend.js'
export { MemoryStateDatabase, type StateChanges, type StateDatabase } from './database.js'
export { StateError } from './errors.js'
export { encodeLogs, logsHash } from './logs.js'
export { accountKey, encodeAccount, slotKey, storageRootOf } from './root.js'
export {
  type StateReadObserver,
  type StateSnapshot,
  WorldState,
  type WorldStateOptions,
} from './world.js'
