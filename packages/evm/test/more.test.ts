import { getForkRules } from '@crucible/forks'
import { keccak256 } from '@crucible/primitives'
import { describe, expect, it } from 'vitest'
import { Outcome } from '../src/errors.js'
import { Context } from '../src/interpreter/context.js'
import { executeMessage } from '../src/message/driver.js'
import { callMessage } from '../src/message/message.js'
import { processTransaction } from '../src/transaction/process.js'
import { asm, block, COINBASE, CONTRACT, exec, outWord, RETURN_TOP, runCode, SENDER } from './helpers.js'
import { MemoryHost } from './memory-host.js'

describe('logs', () => {
  it('charges 375 + 375 per topic + 8 per byte and records the log', () => {
    const { r, gasUsed } = exec('60aa 6000 52 6011 6022 6020 6000 a2 00')
    expect(r.outcome).toBe(Outcome.Success)
    // 3 pushes + MSTORE(3+3) + 4 pushes + LOG2 (375 + 750 + 8*32)
    expect(gasUsed).toBe(3 + 3 + 6 + 12 + 375 + 750 + 256)
    expect(r.logs).toHaveLength(1)
    expect(r.logs![0]!.topics).toEqual([0x22n, 0x11n])
    expect(r.logs![0]!.data[31]).toBe(0xaa)
  })
  it('are forbidden in a static context', () => {
    expect(exec('6000 6000 a0 00', { isStatic: true }).r.halt).toBe('WriteInStaticContext')
  })
  it('are dropped when the frame reverts', () => {
    const { result } = runCode('6000 6000 a0 6000 6000 fd')
    expect(result.logs).toEqual([])
  })
})

describe('block and transaction environment', () => {
  it('BLOCKHASH serves only the last 256 blocks', () => {
    const host = new MemoryHost()
    host.blockHashes.set(99n, 0x99n)
    host.blockHashes.set(10n, 0x10n)
    expect(outWord(exec(`6063 40 ${RETURN_TOP}`, { host }).r)).toBe(0x99n)
    expect(outWord(exec(`600a 40 ${RETURN_TOP}`, { host }).r)).toBe(0x10n)
    expect(outWord(exec(`6064 40 ${RETURN_TOP}`, { host }).r)).toBe(0n)
  })
  it('CHAINID, BASEFEE, SELFBALANCE, COINBASE, NUMBER, BLOBBASEFEE', () => {
    expect(outWord(exec(`46 ${RETURN_TOP}`).r)).toBe(1n)
    expect(outWord(exec(`48 ${RETURN_TOP}`).r)).toBe(7n)
    expect(outWord(exec(`41 ${RETURN_TOP}`).r)).toBe(COINBASE)
    expect(outWord(exec(`43 ${RETURN_TOP}`).r)).toBe(100n)
    expect(outWord(exec(`4a ${RETURN_TOP}`).r)).toBe(1n)
    expect(outWord(exec(`47 ${RETURN_TOP}`, { value: 5n }).r)).toBe(5n)
    expect(exec('46 00', { fork: 'Petersburg' }).r.halt).toBe('InvalidOpcode')
    expect(exec('48 00', { fork: 'Berlin' }).r.halt).toBe('InvalidOpcode')
  })
  it('DIFFICULTY before the merge, PREVRANDAO after (EIP-4399)', () => {
    expect(outWord(exec(`44 ${RETURN_TOP}`, { fork: 'London' }).r)).toBe(0x20000n)
    expect(outWord(exec(`44 ${RETURN_TOP}`, { fork: 'Paris' }).r)).toBe(0x1234n)
  })
  it('BLOBHASH reads the transaction versioned hashes (EIP-4844)', () => {
    const host = new MemoryHost()
    host.put(CONTRACT, { code: asm(`6000 49 6000 55 6001 49 6001 55 00`) })
    host.beginTransaction()
    const hash = new Uint8Array(32).fill(0x01)
    const ctx = new Context(host, getForkRules('Cancun'), block(), SENDER, 1n, [hash], undefined)
    const code = host.getCode(CONTRACT)
    executeMessage(ctx, callMessage({ caller: SENDER, address: CONTRACT, code, gas: 100_000 }))
    expect(host.getStorage(CONTRACT, 0n)).toBe(BigInt(`0x${'01'.repeat(32)}`))
    expect(host.getStorage(CONTRACT, 1n)).toBe(0n)
  })
  it('GASPRICE is the effective gas price', () => {
    const { host } = runCode('3a 6000 55 00', {
      tx: { type: 2, gasPrice: undefined, maxFeePerGas: 100n, maxPriorityFeePerGas: 3n },
    })
    expect(host.getStorage(CONTRACT, 0n)).toBe(10n) // base fee 7 + 3
  })
})

describe('code access', () => {
  it('KECCAK256 hashes memory at 30 + 6 per word', () => {
    const { r, gasUsed } = exec(`6020 6000 20 ${RETURN_TOP}`)
    expect(outWord(r)).toBe(BigInt(`0x${Buffer.from(keccak256(new Uint8Array(32))).toString('hex')}`))
    // pushes, SHA3 + 1 word + memory, then RETURN_TOP on memory already grown
    expect(gasUsed).toBe(6 + 30 + 6 + 3 + 12)
  })
  it('EXTCODECOPY and CODECOPY pad with zeros past the end', () => {
    const host = new MemoryHost()
    host.put(0xbbn, { code: asm('aabbcc') })
    const { r } = exec(`6020 6000 6000 60bb 3c ${'6000 51'} ${RETURN_TOP}`, { host })
    expect(outWord(r)).toBe(0xaabbccn << 232n)
    const own = exec(`6001 6000 6000 39 6000 51 ${RETURN_TOP}`).r
    expect(outWord(own)).toBe(0x60n << 248n)
  })
  it('RETURNDATACOPY copies the last return data', () => {
    const host = new MemoryHost()
    host.put(0xbbn, { code: asm('602a 6000 52 6020 6000 f3') })
    const { r } = exec(`6000 6000 6000 6000 60bb 5a fa 50 6020 6000 6000 3e 6000 51 ${RETURN_TOP}`, { host })
    expect(outWord(r)).toBe(42n)
  })
})

describe('creation rules', () => {
  it('EIP-170: deployed code above 24576 bytes fails from Spurious Dragon', () => {
    // initcode: RETURN(0, 0x6001) -> 24577 bytes of zeros
    const init = asm('616001 6000 f3')
    const host = new MemoryHost()
    host.put(SENDER, { balance: 10n ** 20n })
    const tx = {
      type: 0,
      sender: SENDER,
      to: undefined,
      nonce: 0n,
      value: 0n,
      data: init,
      gasLimit: 10_000_000n,
      gasPrice: 1n,
    }
    const r = processTx(host, tx, 'SpuriousDragon')
    expect(r.status).toBe(0)
    const host2 = new MemoryHost()
    host2.put(SENDER, { balance: 10n ** 20n })
    expect(processTx(host2, tx, 'TangerineWhistle').status).toBe(1)
  })
  it('before Homestead a deposit that cannot be paid leaves empty code and succeeds', () => {
    const init = asm('6064 6000 f3') // 100 bytes: 20000 gas to deposit
    const tx = {
      type: 0,
      sender: SENDER,
      to: undefined,
      nonce: 0n,
      value: 0n,
      data: init,
      gasLimit: 21000n + 5n * 68n + 9n + 10_000n,
      gasPrice: 1n,
    }
    const h1 = new MemoryHost()
    h1.put(SENDER, { balance: 10n ** 20n })
    const frontier = processTx(h1, tx, 'Frontier')
    expect(frontier.status).toBe(1)
    expect(h1.getCode(frontier.createdAddress!).length).toBe(0)
    const h2 = new MemoryHost()
    h2.put(SENDER, { balance: 10n ** 20n })
    expect(processTx(h2, { ...tx, gasLimit: tx.gasLimit + 32000n }, 'Homestead').status).toBe(0)
  })
  it('a creation onto an account with storage collides (EIP-7610) and consumes the gas', () => {
    const host = new MemoryHost()
    host.put(SENDER, { balance: 10n ** 20n })
    const tx = {
      type: 0,
      sender: SENDER,
      to: undefined,
      nonce: 0n,
      value: 0n,
      data: asm('00'),
      gasLimit: 100_000n,
      gasPrice: 10n,
    }
    const probe = new MemoryHost()
    probe.put(SENDER, { balance: 10n ** 20n })
    const created = processTx(probe, tx, 'Cancun').createdAddress!
    host.put(created, { storage: { '1': 1n } })
    const r = processTx(host, tx, 'Cancun')
    expect(r.status).toBe(0)
    expect(r.halt).toBe('AddressCollision')
    expect(r.gasUsed).toBe(100_000n)
  })
})

describe('access lists', () => {
  it('EIP-2930 entries and the EIP-3651 coinbase start warm', () => {
    const code = `${'60cb'}31 50 6005 54 50 00`.replace('60cb', '62cb0000')
    const cold = runCode(code, { fork: 'Berlin', tx: { type: 1 } }).result.gasUsed
    const warmList = runCode(code, {
      fork: 'Berlin',
      tx: { type: 1, accessList: [{ address: CONTRACT, storageKeys: [5n] }] },
    }).result.gasUsed
    // access list costs 2400 + 1900 and saves 2000 on the slot
    expect(warmList - cold).toBe(2400n + 1900n - 2000n)
    const shanghai = runCode(code, { fork: 'Shanghai', tx: { type: 1 } }).result.gasUsed
    const london = runCode(code, { fork: 'London', tx: { type: 1 } }).result.gasUsed
    expect(london - shanghai).toBe(2500n) // coinbase BALANCE: cold 2600 vs warm 100
  })
})

function processTx(host: MemoryHost, tx: object, fork: Parameters<typeof getForkRules>[0]) {
  return processTransaction(host, tx as never, block(), getForkRules(fork))
}
