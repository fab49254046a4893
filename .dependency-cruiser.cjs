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
      to: { path: '^(apps|tooling)/' },
    },
    {
      name: 'core-no-node-builtins',
      severity: 'error',
      comment: 'Core packages run in browsers: no Node built-ins (storage adapters are exempt).',
      from: { path: '^packages/', pathNot: ['^packages/[^/]*-level/', '\\.test\\.ts$'] },
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
      conditionNames: ['source', 'import', 'types', 'default'],
      extensions: ['.ts', '.mts', '.js', '.mjs'],
    },
  },
}
