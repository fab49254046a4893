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

/** Each name of a list mapped to its position in it (what `Fork` is built from). */
export type Positions<T extends readonly string[]> = {
  readonly [I in keyof T as I extends `${number}`
    ? T[I] & string
    : never]: I extends `${infer N extends number}` ? N : never
}

/** Forks by name: `Fork.Cancun` is Cancun's position in {@link FORK_NAMES} (derived from it). */
export const Fork: Positions<typeof FORK_NAMES> = /* @__PURE__ */ Object.freeze(
  Object.fromEntries(FORK_NAMES.map((name, id) => [name, id])),
) as Positions<typeof FORK_NAMES>

/** A fork's position in {@link FORK_NAMES}. */
export type ForkId = (typeof Fork)[ForkName]

/** True when `name` is a canonical fork name. */
export function isForkName(name: string): name is ForkName {
  return (FORK_NAMES as readonly string[]).includes(name)
}
