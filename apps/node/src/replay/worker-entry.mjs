// A replay worker thread: the `@crucible/source` condition and tsx, then the worker itself.
import { register } from 'node:module'
import { register as registerTsx } from 'tsx/esm/api'

register('./source-condition.mjs', import.meta.url)
registerTsx()
await import('./worker.ts')
