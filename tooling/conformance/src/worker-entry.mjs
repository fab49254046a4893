// Worker threads do not inherit the module hooks of the main thread, so each worker
// registers its own: the `@crucible/source` export condition, then tsx for TypeScript.
import { register } from 'node:module'
import { register as registerTsx } from 'tsx/esm/api'

register('./source-condition.mjs', import.meta.url)
registerTsx()
await import('./worker.ts')
