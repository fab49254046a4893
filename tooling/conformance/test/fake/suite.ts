import { readFileSync } from 'node:fs'
import type { Suite } from '../../src/suite.js'

// A suite whose cases pass, fail, throw or hang on purpose, to test the runner itself.
const suite: Suite = {
  name: 'fake',
  defaultPaths: [],
  accepts: (path) => path.endsWith('.json'),
  runFile(ctx) {
    const cases = JSON.parse(readFileSync(ctx.path, 'utf8')) as Record<string, string>
    for (const [test, behaviour] of Object.entries(cases)) {
      for (const fork of ['Berlin', 'ConstantinopleFix']) {
        if (!ctx.begin(test, fork, 0)) continue
        if (behaviour === 'throw') throw new Error('boom')
        if (behaviour === 'hang') for (;;) {}
        if (behaviour === 'exit') process.exit(3)
        ctx.report({
          test,
          fork,
          index: 0,
          ok: behaviour === 'pass',
          reason: behaviour === 'pass' ? undefined : 'wrong',
        })
      }
    }
  },
}
export default suite
