import type { Handler } from './context.js'

/** `eth_simulateV1` (see simulate/). */
export const simulateMethods: Record<string, Handler> = {}
