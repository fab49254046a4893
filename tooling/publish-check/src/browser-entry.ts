// The page's script: the state-test runner of the browser check, bundled for the browser.
import { stateCaseRoots } from './state-case.js'

;(globalThis as { crucible?: unknown }).crucible = { stateCaseRoots }
