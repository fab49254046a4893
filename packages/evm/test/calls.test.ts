import { getForkRules } from '@crucible/forks'
import { getPrecompile } from '@crucible/precompiles'
import { describe, expect, it } from 'vitest'
import { Outcome } from '../src/errors.js'
import { CallKind } from '../src/message/message.js'
import { processTransaction } from '../src/transaction/process.js'
import { asm, block, CONTRACT, exec, outWord, RETURN_TOP, runCode, SENDER } from './helpers.js'
import { MemoryHost } from './memory-host.js'

const OTHER = 0xaaaan

describe('CALL', () => {
  it('EIP-150: the callee gets at most all but one 64th', () => {
    const host = new MemoryHost()
    // The callee returns GAS (its available gas) as a word.
    host.put(OTHER, { code: asm(`GAS ${RETURN_TOP}`) })
    // CALL(gas=all, OTHER, 0, 0, 0, 0, 32) then RETURN the 32 bytes at 0.
    const caller = `PUSH1 32 PUSH1 0 PUSH1 0 PUSH1 0 PUSH1 0 PUSH2 ${OTHER} GAS CALL POP PUSH1 32 PUSH1 0 RETURN`
    const gas = 100_000
    const { r } = exec(caller, { host, gas })
    // Before CALL: 6 pushes (18) + GAS (2); CALL charges cold access 2600 + memory 3.
    // Let g = gas - 18 - 2 - 2600 - 3; the callee gets g - floor(g/64), minus its GAS (2).
    const g = gas - 18 - 2 - 2600 - 3
    expect(outWord(r)).toBe(BigInt(g - Math.floor(g / 64) - 2))
  })
  it('before EIP-150 asking for more gas than left is out of gas', () => {
    const host = new MemoryHost()
    host.put(OTHER, { code: asm('STOP') })
    const { r } = exec(`PUSH1 0 PUSH1 0 PUSH1 0 PUSH1 0 PUSH1 0 PUSH2 ${OTHER} PUSH3 0xffffff CALL STOP`, {
      host,
      fork: 'Homestead',
      gas: 100_000,
    })
    expect(r.halt).toBe('OutOfGas')
  })
  it('sends value with the 9000 charge and 2300 stipend; new account costs 25000', () => {
    const host = new MemoryHost()
    host.put(CONTRACT, { balance: 10n })
    // CALL(gas=0, 0xbeef (missing), value=1, ...)
    const { r, gasUsed } = exec('6000 6000 6000 6000 6001 61beef 6000 f1 00', { host, fork: 'Istanbul' })
    expect(r.outcome).toBe(Outcome.Success)
    // 7 pushes + 700 + 9000 + 25000 - 2300 stipend returned unused
    expect(gasUsed).toBe(21 + 700 + 9000 + 25000 - 2300)
    expect(host.getBalance(0xbeefn)).toBe(1n)
  })
  it('fails softly when the balance is too low, returning the gas', () => {
    const { r, gasUsed } = exec(`6000 6000 6000 6000 6001 61beef 6000 f1 ${RETURN_TOP}`, { fork: 'Istanbul' })
    expect(outWord(r)).toBe(0n)
    expect(gasUsed).toBe(21 + 700 + 9000 + 25000 - 2300 + 15)
  })
  it('a static call cannot send value', () => {
    const host = new MemoryHost()
    host.put(CONTRACT, { balance: 10n })
    const { r } = exec('PUSH1 0 PUSH1 0 PUSH1 0 PUSH1 0 PUSH1 1 PUSH2 0xbeef PUSH1 0 CALL STOP', {
      host,
      isStatic: true,
    })
    expect(r.halt).toBe('WriteInStaticContext')
  })
  it('STATICCALL makes the callee static', () => {
    const host = new MemoryHost()
    host.put(OTHER, { code: asm('PUSH1 1 PUSH1 0 SSTORE STOP') })
    const { r } = exec(`PUSH1 0 PUSH1 0 PUSH1 0 PUSH1 0 PUSH2 ${OTHER} GAS STATICCALL ${RETURN_TOP}`, {
      host,
    })
    expect(outWord(r)).toBe(0n)
  })
  it('DELEGATECALL runs the code on the caller storage with caller and value kept', () => {
    const host = new MemoryHost()
    host.put(OTHER, { code: asm('CALLER PUSH1 0 SSTORE CALLVALUE PUSH1 1 SSTORE STOP') })
    const { host: h } = exec(`PUSH1 0 PUSH1 0 PUSH1 0 PUSH1 0 PUSH2 ${OTHER} GAS DELEGATECALL STOP`, {
      host,
      value: 5n,
    })
    expect(h.getStorage(CONTRACT, 0n)).toBe(SENDER)
    expect(h.getStorage(CONTRACT, 1n)).toBe(5n)
    expect(h.getStorage(OTHER, 0n)).toBe(0n)
  })
  it('return data buffer holds the last call output', () => {
    const host = new MemoryHost()
    host.put(OTHER, { code: asm('PUSH1 7 PUSH1 0 MSTORE PUSH1 32 PUSH1 0 REVERT') })
    const { r } = exec(
      `PUSH1 0 PUSH1 0 PUSH1 0 PUSH1 0 PUSH2 ${OTHER} GAS STATICCALL POP RETURNDATASIZE ${RETURN_TOP}`,
      {
        host,
      },
    )
    expect(outWord(r)).toBe(32n)
  })
})

describe('CREATE and CREATE2', () => {
  it('EIP-1014 example 1: CREATE2 address', () => {
    const host = new MemoryHost()
    const deployer = 0xdeadbeef00000000000000000000000000000000n
    // mem[0] = 0x00 (initcode STOP); CREATE2(value 0, offset 0, size 1, salt 0); store result
    host.put(deployer, { code: asm('PUSH1 0 PUSH1 1 PUSH1 0 PUSH1 0 CREATE2 PUSH1 0 SSTORE STOP') })
    host.put(SENDER, { balance: 10n ** 20n })
    const rules = getForkRules('Cancun')
    const result = processTransaction(
      host,
      {
        type: 0,
        sender: SENDER,
        to: deployer,
        nonce: 0n,
        value: 0n,
        data: new Uint8Array(0),
        gasLimit: 200_000n,
        gasPrice: 10n,
      },
      block(),
      rules,
    )
    expect(result.status).toBe(1)
    expect(host.getStorage(deployer, 0n)).toBe(0xb928f69bb1d91cd65274e3c79d8986362984fda3n)
    expect(host.getNonce(0xb928f69bb1d91cd65274e3c79d8986362984fda3n)).toBe(1n)
  })
  it('EIP-1014 example 5: CREATE2 address with salt and initcode', () => {
    const host = new MemoryHost()
    const deployer = 0x00000000000000000000000000000000deadbeefn
    // mem[28..32] = deadbeef; CREATE2(value 0, offset 28, size 4, salt 0xcafebabe)
    host.put(deployer, {
      code: asm(
        'PUSH4 0xdeadbeef PUSH1 0 MSTORE PUSH4 0xcafebabe PUSH1 4 PUSH1 28 PUSH1 0 CREATE2 PUSH1 0 SSTORE STOP',
      ),
    })
    host.put(SENDER, { balance: 10n ** 20n })
    const targets: bigint[] = []
    processTransaction(
      host,
      {
        type: 0,
        sender: SENDER,
        to: deployer,
        nonce: 0n,
        value: 0n,
        data: new Uint8Array(0),
        gasLimit: 200_000n,
        gasPrice: 10n,
      },
      block(),
      getForkRules('Cancun'),
      { inspector: { enter: (info) => info.kind === CallKind.Create2 && targets.push(info.to) } },
    )
    // The initcode 0xdeadbeef halts on an invalid opcode, but the address is the EIP's.
    expect(targets).toEqual([0x60f3f640a8508fc6a86d45df051962668e1e8ac7n])
    expect(host.getStorage(deployer, 0n)).toBe(0n)
  })
  it('CREATE deploys the returned code, charging 200 per byte, and bumps the nonce', () => {
    // initcode: return 2 bytes 0x6001 -> 61 6001 6000 52 6002 601e f3 (11 bytes)
    const init = '6160016000526002601ef3'
    const code = `6a${init} 6000 52 600b 6015 6000 f0 6000 55 00`
    const { result, host } = runCode(code, { fork: 'Cancun' })
    expect(result.status).toBe(1)
    const created = host.getStorage(CONTRACT, 0n)
    expect(created).not.toBe(0n)
    expect(host.getCode(created)).toEqual(new Uint8Array([0x60, 0x01]))
    expect(host.getNonce(created)).toBe(1n)
    expect(host.getNonce(CONTRACT)).toBe(1n)
  })
  it('EIP-3541: code starting with 0xEF is rejected from London', () => {
    const init = '60ef60005360016000f3' // mstore8(0, 0xef); return(0, 1)
    const code = `69${init} 6000 52 600a 6016 6000 f0 6000 55 00`
    expect(slotAfter(code, 'London')).toBe(0n)
    expect(slotAfter(code, 'Berlin')).not.toBe(0n)
  })
  it('EIP-3860: initcode over the limit halts from Shanghai', () => {
    const { r } = exec('61c001 6000 6000 f0 00', { fork: 'Shanghai', gas: 10_000_000 })
    expect(r.halt).toBe('OutOfGas')
  })
})

function slotAfter(code: string, fork: 'London' | 'Berlin'): bigint {
  const { host } = runCode(code, { fork })
  return host.getStorage(CONTRACT, 0n)
}

describe('SELFDESTRUCT', () => {
  it('EIP-6780: a pre-existing contract only sends its balance', () => {
    const host = new MemoryHost()
    host.put(CONTRACT, { balance: 100n })
    const { result } = runCode('61beef ff', { host, fork: 'Cancun' })
    expect(result.status).toBe(1)
    expect(host.getBalance(0xbeefn)).toBe(100n)
    expect(host.exists(CONTRACT)).toBe(true)
    expect(host.getCode(CONTRACT).length).toBe(4)
  })
  it('before Cancun the contract is deleted', () => {
    const host = new MemoryHost()
    host.put(CONTRACT, { balance: 100n })
    const { result } = runCode('61beef ff', { host, fork: 'Shanghai' })
    expect(result.status).toBe(1)
    expect(host.exists(CONTRACT)).toBe(false)
    expect(host.getBalance(0xbeefn)).toBe(100n)
  })
  it('EIP-6780: a contract created in the same transaction is deleted', () => {
    // initcode: SELFDESTRUCT to 0xbeef; the factory CREATEs it with value 7.
    const init = '61beefff'
    const code = `63${init} 6000 52 6004 601c 6007 f0 6000 55 00`
    const host = new MemoryHost()
    host.put(CONTRACT, { balance: 10n })
    const { result } = runCode(code, { host, fork: 'Cancun' })
    expect(result.status).toBe(1)
    const created = host.getStorage(CONTRACT, 0n)
    expect(created).not.toBe(0n)
    expect(host.exists(created)).toBe(false)
    expect(host.getBalance(0xbeefn)).toBe(7n)
  })
  it('refunds 24000 before London, nothing after', () => {
    const pre = exec('61beef ff', { fork: 'Berlin' })
    expect(pre.r.refund).toBe(24000)
    expect(exec('61beef ff', { fork: 'London' }).r.refund).toBe(0)
  })
})

describe('EIP-7702 delegation', () => {
  it('sets the designator, then calls run the delegate code in the authority context', () => {
    const host = new MemoryHost()
    const authority = 0xa11ce0n
    const target = 0x7a76e7n
    host.put(target, { code: asm('6042 6000 55 00') })
    host.put(SENDER, { balance: 10n ** 20n })
    const rules = getForkRules('Prague')
    const result = processTransaction(
      host,
      {
        type: 4,
        sender: SENDER,
        to: authority,
        nonce: 0n,
        value: 0n,
        data: new Uint8Array(0),
        gasLimit: 200_000n,
        maxFeePerGas: 10n,
        maxPriorityFeePerGas: 1n,
        authorizationList: [{ chainId: 1n, address: target, nonce: 0n, authority }],
      },
      block(),
      rules,
    )
    expect(result.status).toBe(1)
    const code = host.getCode(authority)
    expect(code.length).toBe(23)
    expect(code.subarray(0, 3)).toEqual(new Uint8Array([0xef, 0x01, 0x00]))
    expect(host.getNonce(authority)).toBe(1n)
    expect(host.getStorage(authority, 0n)).toBe(0x42n)
    expect(host.getStorage(target, 0n)).toBe(0n)
  })
  it('skips an authorization with the wrong nonce or chain id', () => {
    const host = new MemoryHost()
    const authority = 0xa11ce0n
    host.put(SENDER, { balance: 10n ** 20n })
    const rules = getForkRules('Prague')
    processTransaction(
      host,
      {
        type: 4,
        sender: SENDER,
        to: authority,
        nonce: 0n,
        value: 0n,
        data: new Uint8Array(0),
        gasLimit: 200_000n,
        maxFeePerGas: 10n,
        maxPriorityFeePerGas: 1n,
        authorizationList: [
          { chainId: 1n, address: 0x1234n, nonce: 5n, authority },
          { chainId: 9n, address: 0x1234n, nonce: 0n, authority },
          { chainId: 1n, address: 0x1234n, nonce: 0n, authority: undefined },
        ],
      },
      block(),
      rules,
    )
    expect(host.getCode(authority).length).toBe(0)
  })
})

describe('gas above 2^53', () => {
  it('a pre-EIP-150 CALL may forward more gas than a JS number holds exactly', () => {
    const host = new MemoryHost()
    const callee = 0xbbbbn
    // The callee stores GAS (what it was given) in its slot 0.
    host.put(callee, { code: asm('5a 6000 55 00') })
    // CALL(gas = 2^60, callee, 0, 0, 0, 0, 0)
    const { result } = runCode(
      `6000 6000 6000 6000 6000 61bbbb 67${(1n << 60n).toString(16).padStart(16, '0')} f1 00`,
      {
        host,
        fork: 'Frontier',
        gas: 1n << 62n,
        tx: { gasPrice: 0n },
        block: { gasLimit: 1n << 63n },
      },
    )
    expect(result.status).toBe(1)
    expect(host.getStorage(callee, 0n)).toBe((1n << 60n) - 2n)
  })
  it('GAS includes the excess', () => {
    const { result, host } = runCode('5a 6000 55 00', {
      fork: 'Frontier',
      gas: 1n << 60n,
      tx: { gasPrice: 0n },
      block: { gasLimit: 1n << 63n },
    })
    expect(result.status).toBe(1)
    expect(host.getStorage(CONTRACT, 0n)).toBe((1n << 60n) - 21000n - 2n)
  })
})

describe('gas above 2^53 reaching code-less targets', () => {
  it('a transfer to an account without code returns all the excess', () => {
    const host = new MemoryHost()
    host.put(SENDER, { balance: 1n << 255n })
    const r = processTransaction(
      host,
      {
        type: 0,
        sender: SENDER,
        to: 0xeeeen,
        nonce: 0n,
        value: 1n,
        data: new Uint8Array(0),
        gasLimit: 1n << 60n,
        gasPrice: 7n,
      },
      block({ gasLimit: 1n << 63n }),
      getForkRules('Byzantium'),
    )
    expect(r.gasUsed).toBe(21000n)
  })
})

describe('precompiles moved by an override (processTransaction precompiles option)', () => {
  it('runs the precompile at its new address and none at the old one', () => {
    const host = new MemoryHost()
    host.put(SENDER, { balance: 10n ** 20n })
    const rules = getForkRules('Prague')
    const moved = 0x123456n
    const precompiles = new Map([[moved, getPrecompile(4, rules)!]])
    const call = (to: bigint, options = {}) =>
      processTransaction(
        host,
        {
          type: 0,
          sender: SENDER,
          to,
          nonce: host.getNonce(SENDER),
          value: 0n,
          data: Uint8Array.of(0x12, 0x34),
          gasLimit: 100_000n,
          gasPrice: 10n,
        },
        block(),
        rules,
        options,
      )
    // The identity precompile echoes its input at the new address; 0x04 is then a plain account.
    expect([...call(moved, { precompiles }).output]).toEqual([0x12, 0x34])
    expect([...call(4n, { precompiles }).output]).toEqual([])
    // Without the option, the fork's table.
    expect([...call(4n).output]).toEqual([0x12, 0x34])
    expect([...call(moved).output]).toEqual([])
  })
})
