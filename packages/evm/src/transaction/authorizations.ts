import type { Authorization } from '@crucible/evm-types'
import { delegationDesignator, delegationTarget, MAX_NONCE } from '@crucible/forks'
import { EMPTY } from '../interpreter/constants.js'
import type { Context } from '../interpreter/context.js'

/**
 * EIP-7702 `set_delegation`: applies each valid authorization in order (invalid ones are
 * skipped, never fatal) and returns the refund for authorities that already existed. Not
 * undone if the transaction's message later fails.
 */
export function applyAuthorizations(ctx: Context, list: readonly Authorization[]): bigint {
  const { host, rules, block } = ctx
  const p = rules.params
  let refund = 0n
  for (const auth of list) {
    if (auth.chainId !== 0n && auth.chainId !== block.chainId) continue
    if (auth.nonce >= MAX_NONCE) continue
    const authority = auth.authority
    if (authority === undefined) continue
    host.warmAccount(authority)
    const code = host.getCode(authority)
    if (code.length > 0 && delegationTarget(code) === undefined) continue
    if (host.getNonce(authority) !== auth.nonce) continue
    if (host.exists(authority)) refund += BigInt(p.authEmptyAccountGas - p.authBaseGas)
    if (auth.address === 0n) host.setCode(authority, EMPTY)
    else host.setCode(authority, delegationDesignator(auth.address))
    host.setNonce(authority, auth.nonce + 1n)
  }
  return refund
}
