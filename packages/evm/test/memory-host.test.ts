import { hostContractSuite } from '@crucible/evm-types/test-support'
import { MemoryHost } from './memory-host.js'

hostContractSuite('MemoryHost (the EVM tests’ in-memory host)', { create: () => new MemoryHost() })
