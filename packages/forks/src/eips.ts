import type { ForkName } from './fork.js'

/**
 * The EIPs each fork activates (the meta-EIP lists). A fork's rules hold every EIP of its
 * own and of the forks before it. Petersburg removes EIP-1283 again.
 */
export const FORK_EIPS: Readonly<Record<ForkName, readonly number[]>> = {
  Frontier: [],
  Homestead: [2, 7, 8],
  DAO: [779],
  TangerineWhistle: [150],
  SpuriousDragon: [155, 160, 161, 170],
  Byzantium: [100, 140, 196, 197, 198, 211, 214, 649, 658],
  Constantinople: [145, 1014, 1052, 1234, 1283],
  Petersburg: [],
  Istanbul: [152, 1108, 1344, 1884, 2028, 2200],
  MuirGlacier: [2384],
  Berlin: [2565, 2718, 2929, 2930],
  London: [1559, 3198, 3529, 3541, 3554],
  ArrowGlacier: [4345],
  GrayGlacier: [5133],
  Paris: [3675, 4399],
  Shanghai: [3651, 3855, 3860, 4895],
  Cancun: [1153, 4788, 4844, 5656, 6780, 7516],
  Prague: [2537, 2935, 6110, 7002, 7251, 7623, 7685, 7691, 7702, 7840],
  Osaka: [7594, 7823, 7825, 7883, 7892, 7918, 7934, 7939, 7951],
  BPO1: [],
  BPO2: [],
  BPO3: [],
  BPO4: [],
  BPO5: [],
}

/** EIPs a later fork takes back. */
export const FORK_REMOVED_EIPS: Readonly<Partial<Record<ForkName, readonly number[]>>> = {
  Petersburg: [1283],
}
