import { Fork, type ForkRules } from '@crucible/forks'

/** Lowest difficulty a PoW block may have. */
export const MINIMUM_DIFFICULTY = 131072n
const BOMB_PERIOD = 100000n

/** What the difficulty formula reads of the parent. */
export interface DifficultyParent {
  difficulty: bigint
  timestamp: bigint
  /** True when the parent has uncles (EIP-100 from Byzantium). */
  hasOmmers: boolean
}

/**
 * The PoW difficulty of a block: Frontier's ±1/2048 rule, Homestead's EIP-2 slope, Byzantium's
 * EIP-100 uncle-aware slope, and the exponential "ice age" bomb shifted back by each fork's
 * delay (EIP-649 to EIP-5133). Zero from Paris (EIP-3675).
 */
export function calcDifficulty(
  number: bigint,
  timestamp: bigint,
  parent: DifficultyParent,
  rules: ForkRules,
): bigint {
  if (rules.gte(Fork.Paris)) return 0n
  const step = parent.difficulty / 2048n
  let difficulty: bigint
  let bombNumber = number
  if (rules.isActive(100)) {
    const adjustment = parent.hasOmmers ? 2n : 1n
    let factor = adjustment - (timestamp - parent.timestamp) / 9n
    if (factor < -99n) factor = -99n
    difficulty = parent.difficulty + step * factor
    bombNumber = number - rules.params.difficultyBombDelay
    if (bombNumber < 0n) bombNumber = 0n
  } else if (rules.isActive(2)) {
    let factor = 1n - (timestamp - parent.timestamp) / 10n
    if (factor < -99n) factor = -99n
    difficulty = parent.difficulty + step * factor
  } else {
    difficulty = timestamp < parent.timestamp + 13n ? parent.difficulty + step : parent.difficulty - step
  }
  const periods = bombNumber / BOMB_PERIOD - 2n
  if (periods >= 0n) difficulty += 1n << periods
  return difficulty < MINIMUM_DIFFICULTY ? MINIMUM_DIFFICULTY : difficulty
}
