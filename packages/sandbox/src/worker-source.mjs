// The worker's entry when the package runs from source (the workspace, tests): worker threads
// do not inherit the main thread's module hooks, so tsx and the `@crucible/source` export
// condition are registered here before the TypeScript worker loads. Built packages start
// dist/worker.js directly.
import { register } from 'node:module'
import { register as registerTsx } from 'tsx/esm/api'

register(
  'data:text/javascript,' +
    encodeURIComponent(`
export async function resolve(specifier, context, next) {
  const conditions = context.conditions.includes('@crucible/source')
    ? context.conditions
    : [...context.conditions, '@crucible/source']
  return next(specifier, { ...context, conditions })
}`),
)
registerTsx()
await import('./worker.ts')
