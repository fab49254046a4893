export { InvalidNodeError, MissingNodeError, ProofError } from './errors.js'
export { trieRoot } from './root.js'
export { MemoryStore, type NodeStore } from './store.js'
export { type BatchOp, Trie, type TrieOptions } from './trie.js'
