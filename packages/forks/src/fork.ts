/**
 * Every mainnet fork in activation order, then the blob-parameter-only forks. A fork is its
 * index in this list, so "is X active" is a number comparison (revm's ordered `SpecId`).
 */
export const FORK_NAMES = [
  'Frontier',
  'Homestead',
  'DAO',
  'TangerineWhistle',
  'SpuriousDragon',
  'Byzantium',
  'Constantinople',
  'Petersburg',
  'Istanbul',
  'MuirGlacier',
  'Berlin',
  'London',
  'ArrowGlacier',
  'GrayGlacier',
  'Paris',
  'Shanghai',
  'Cancun',
  'Prague',
  'Osaka',
  'BPO1',
  'BPO2',
  'BPO3',
  'BPO4',
  'BPO5',
] as const

/** The canonical name of a fork. */
export type ForkName = (typeof FORK_NAMES)[number]

/** Forks by name: `Fork.Cancun` is Cancun's position in {@link FORK_NAMES}. */
export const Fork = {
  Frontier: 0,
  Homestead: 1,
  DAO: 2,
  TangerineWhistle: 3,
  SpuriousDragon: 4,
  Byzantium: 5,
  Constantinople: 6,
  Petersburg: 7,
  Istanbul: 8,
  MuirGlacier: 9,
  Berlin: 10,
  London: 11,
  ArrowGlacier: 12,
  GrayGlacier: 13,
  Paris: 14,
  Shanghai: 15,
  Cancun: 16,
  Prague: 17,
  Osaka: 18,
  BPO1: 19,
  BPO2: 20,
  BPO3: 21,
  BPO4: 22,
  BPO5: 23,
} as const satisfies Record<ForkName, number>

/** A fork's position in {@link FORK_NAMES}. */
export type ForkId = (typeof Fork)[ForkName]

/** True when `name` is a canonical fork name. */
export function isForkName(name: string): name is ForkName {
  return (FORK_NAMES as readonly string[]).includes(name)
}
