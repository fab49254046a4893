import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { processTransaction } from '@crucible/evm'
import { bytesToHex } from '@crucible/primitives'
import { logsHash } from '@crucible/state'
import { describe, expect, it } from 'vitest'
import { DebugSession, DebugSessionError, stateTestCase, stateTestCases } from '../src/index.js'

const FIXTURES =
  process.env.CRUCIBLE_FIXTURES ?? fileURLToPath(new URL('../../../../shared/fixtures', import.meta.url))
const GST = join(FIXTURES, 'ethereum-tests/GeneralStateTests')

// A slice with calls of every kind, reverts, creations, refunds, logs, transient storage, MCOPY.
const FOLDERS = [
  'stCallCodes',
  'stRevertTest',
  'stRefundTest',
  'stLogTests',
  'Cancun/stEIP1153-transientStorage',
  'Cancun/stEIP5656-MCOPY',
]
const PER_FOLDER = 10

function files(folder: string): string[] {
  return readdirSync(join(GST, folder))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .slice(0, PER_FOLDER)
    .map((f) => join(GST, folder, f))
}

describe('the debugger never changes execution (state tests)', () => {
  for (const folder of FOLDERS) {
    it(folder, { timeout: 180_000 }, () => {
      let checked = 0
      for (const file of files(folder)) {
        const json = JSON.parse(readFileSync(file, 'utf8'))
        for (const c of stateTestCases(json).filter((c) => c.fork === 'Cancun')) {
          const plain = stateTestCase(json, c)
          let expected: ReturnType<typeof processTransaction>
          try {
            expected = processTransaction(plain.state, plain.tx, plain.block, plain.rules)
          } catch {
            // A refused transaction: the session refuses it too, with a typed error.
            expect(() => new DebugSession(stateTestCase(json, c))).toThrow(DebugSessionError)
            continue
          }
          const root = bytesToHex(plain.state.stateRoot())
          const session = new DebugSession(stateTestCase(json, c), { checkpointInterval: 64 })
          const engine = session.engine
          const where = `${file} ${c.name} #${c.index}`
          expect(engine.result, where).toEqual(expected)
          expect(bytesToHex(logsHash(engine.result.logs)), where).toBe(bytesToHex(logsHash(expected.logs)))
          expect(bytesToHex(engine.work.stateRoot()), where).toBe(root)
          // Resuming from the last checkpoint (state rebuilt from the host log) ends the same way.
          if (engine.totalSteps > 0) {
            const resumed = engine.rerun(engine.checkpoints.length - 1, {})
            expect(resumed, where).toEqual(expected)
            expect(bytesToHex(engine.work.stateRoot()), where).toBe(root)
            // And the end view shows the transaction's result.
            const end = session.handle({ cmd: 'end' })
            expect(end.ok, where).toBe(true)
          }
          checked++
        }
      }
      expect(checked).toBeGreaterThan(5)
    })
  }
})
