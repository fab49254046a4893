export {
  batchOps,
  KvError,
  type KvErrorCode,
  type KvOp,
  type KvRange,
  type KvReader,
  type KvSnapshot,
  type KvStore,
  prefixEnd,
  rangeBounds,
  WriteBatch,
} from './kv.js'
export { type Entries, MemoryKv } from './memory.js'
