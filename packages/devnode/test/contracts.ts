import { type Compiled, compileContract, TOKEN_SOURCE } from '@crucible/test-support/solc'

export type { Compiled }

/** Compiles test/contracts/Token.sol with solc-js (the `solc` package, pinned; offline). */
export function compileToken(): Compiled {
  return compileContract(TOKEN_SOURCE, 'Token')
}
