const { existsSync, readdirSync, readFileSync } = require('node:fs')
const { join } = require('node:path')

/**
 * Platform packages: those declaring `"crucible": {"platform": "node"}` in package.json
 * (storage adapters, the RPC server). The workspace isolation test uses the same marker.
 */
const platformPackages = readdirSync(join(__dirname, 'packages')).filter((name) => {
  const file = join(__dirname, 'packages', name, 'package.json')
  return existsSync(file) && JSON.parse(readFileSync(file, 'utf8')).crucible?.platform === 'node'
})

/** Import rules checked in CI (`pnpm cycles`): no cycles anywhere, dependencies point down. */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles, inside a package or across packages.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'packages-not-to-apps-or-tooling',
      severity: 'error',
      comment: 'Library packages never depend on the apps or tools built on them.',
      from: { path: '^packages/' },
      to: { path: '^(apps|tooling)/', pathNot: '^tooling/test-support/' },
    },
    {
      name: 'test-support-only-in-tests',
      severity: 'error',
      comment:
        'Shared test support (tooling/test-support) serves the tests; package sources never import it.',
      from: { path: '^packages/', pathNot: ['\\.test\\.ts$', '^packages/[^/]+/test/'] },
      to: { path: '^tooling/test-support/' },
    },
    {
      name: 'test-support-is-a-leaf',
      severity: 'error',
      comment: 'Test support imports nothing of ours, so every package can use it without a cycle.',
      from: { path: '^tooling/test-support/' },
      to: { path: '^(packages|apps|tooling)/', pathNot: '^tooling/test-support/' },
    },
    {
      name: 'core-no-node-builtins',
      severity: 'error',
      comment:
        'Core packages run in browsers: no Node built-ins (platform packages and test folders are exempt).',
      from: {
        path: '^packages/',
        pathNot: [
          ...platformPackages.map((name) => `^packages/${name}/`),
          '^packages/[^/]+/test/',
          '\\.test\\.ts$',
        ],
      },
      to: { dependencyTypes: ['core'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|\\.cache)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.depcruise.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['@crucible/source', 'import', 'types', 'default'],
      extensions: ['.ts', '.mts', '.js', '.mjs'],
    },
  },
}
