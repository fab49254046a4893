import { processTransaction } from '@crucible/evm'
import { bytesToHex, hexToBytes, keccak256, utf8ToBytes } from '@crucible/primitives'
import type { SolcCompile } from '@crucible/test-support/solc'
import { bytecodeCase, type TransactionCase } from '../src/index.js'

const word = (v: bigint) => v.toString(16).padStart(64, '0')

/** ABI-encodes deposit(uint256,string) by hand (the test checks the package's decoder against it). */
export function depositCalldata(amount: bigint, note: string): string {
  const text = new TextEncoder().encode(note)
  const padded = Math.ceil(text.length / 32) * 32
  let data = bytesToHex(keccak256(utf8ToBytes('deposit(uint256,string)')).subarray(0, 4)).slice(2)
  data += word(amount) + word(64n) + word(BigInt(text.length))
  data += bytesToHex(text)
    .slice(2)
    .padEnd(padded * 2, '0')
  return `0x${data}`
}

/** The creation of Vault(limit), as a case. */
export function vaultCreation(compile: SolcCompile, limit: bigint): TransactionCase {
  const bytecode = compile.output.contracts['Vault.sol']!.Vault!.evm.bytecode.object
  return bytecodeCase({ code: `0x${bytecode}${word(limit)}`, create: true, fork: 'Cancun' })
}

/** A Vault(limit) deployed, then the case of one call to it with `calldata`. */
export function vaultCall(compile: SolcCompile, limit: bigint, calldata: string): TransactionCase {
  const deploy = vaultCreation(compile, limit)
  const created = processTransaction(deploy.state, deploy.tx, deploy.block, deploy.rules)
  if (created.status !== 1 || created.createdAddress === undefined) throw new Error('Vault did not deploy')
  return {
    ...deploy,
    tx: {
      ...deploy.tx,
      to: created.createdAddress,
      data: hexToBytes(calldata),
      nonce: deploy.state.getNonce(deploy.tx.sender),
    },
    label: 'Vault.deposit',
  }
}
