import { MemoryKv } from './memory.js'
import { kvStoreSuite } from './test-support.js'

kvStoreSuite('MemoryKv', { open: async () => new MemoryKv() })
