import type { Suite } from '../../src/suite.js'

// A suite whose cases pass, fail, throw or hang on purpose, to test the runner itself. Its
// tests are plain strings, which no official format is: the runner tells them as `unknown`.
const suite: Suite = {
  name: 'fake',
  defaultPaths: [],
  format: 'unknown',
  runFile(ctx) {
    const cases = ctx.tests as Record<string, string>
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
