import { hostContractSuite } from '@crucible/evm-types/test-support'
import { WorldState } from './world.js'

hostContractSuite('WorldState', { create: () => new WorldState() })
