import { hexToBigInt } from '@crucible/primitives'
import { expect, it } from 'vitest'
import { logsBloom } from './bloom.js'

it('sets up to three bits per address and topic', () => {
  expect(logsBloom([]).every((b) => b === 0)).toBe(true)
  const bloom = logsBloom([{ address: 0x0fn, topics: [hexToBigInt(`0x${'00'.repeat(31)}01`)] }])
  const bits = bloom.reduce((n, b) => n + b.toString(2).replaceAll('0', '').length, 0)
  expect(bits).toBeGreaterThan(0)
  expect(bits).toBeLessThanOrEqual(6)
})
