// Isolated measurements of single interpreter design choices, quoted in docs/performance.md
// ("Where the speed comes from"). Each loop has the shape of the interpreter's hot path with
// one choice changed. Run: node tooling/bench/scripts/design-factors.mjs
const N = 20_000_000
function time(label, fn, n = N) {
  fn(1e5)
  const t = performance.now()
  fn(n)
  const ns = ((performance.now() - t) * 1e6) / n
  console.log(label.padEnd(44), ns.toFixed(2), 'ns/op')
  return ns
}

const code = new Uint8Array(1024).map((_, i) => [0x01, 0x03, 0x5b, 0x50, 0x80][i % 5])

const numberGas = time('sync switch loop, gas as number', (n) => {
  let gas = 1e15
  let pc = 0
  let x = 0
  for (let i = 0; i < n; i++) {
    const op = code[pc]
    pc = (pc + 1) & 1023
    switch (op) {
      case 1:
        gas -= 3
        x++
        break
      case 3:
        gas -= 3
        x--
        break
      case 0x5b:
        gas -= 1
        break
      case 0x50:
        gas -= 2
        break
      default:
        gas -= 3
    }
    if (gas < 0) throw new Error('out of gas')
  }
  return x
})

const bigintGas = time('sync switch loop, gas as bigint', (n) => {
  let gas = 10n ** 15n
  let pc = 0
  let x = 0
  for (let i = 0; i < n; i++) {
    const op = code[pc]
    pc = (pc + 1) & 1023
    switch (op) {
      case 1:
        gas -= 3n
        x++
        break
      case 3:
        gas -= 3n
        x--
        break
      case 0x5b:
        gas -= 1n
        break
      case 0x50:
        gas -= 2n
        break
      default:
        gas -= 3n
    }
    if (gas < 0n) throw new Error('out of gas')
  }
  return x
})

async function awaitedLoop(n) {
  let gas = 1e15
  let pc = 0
  let x = 0
  const step = async (op) => {
    if (op === 1) {
      gas -= 3
      x++
    } else gas -= 2
  }
  for (let i = 0; i < n; i++) {
    const op = code[pc]
    pc = (pc + 1) & 1023
    await step(op)
  }
  return x
}
const M = 2_000_000
await awaitedLoop(1e5)
const t0 = performance.now()
await awaitedLoop(M)
const awaited = ((performance.now() - t0) * 1e6) / M
console.log('await per opcode (ethereumjs style)'.padEnd(44), awaited.toFixed(2), 'ns/op')

const W = (1n << 256n) - 1n
const MOD = 1n << 256n
const words = Array.from({ length: 1024 }, (_, i) => ((BigInt(i) * 0x123456789abcdefn) ** 3n) & W)
const asUint = time('bigint ADD reduced with BigInt.asUintN(256)', (n) => {
  let s = 0n
  for (let i = 0; i < n; i++) s = BigInt.asUintN(256, s + words[i & 1023])
  return s
})
const compare = time('bigint ADD reduced by compare-and-subtract', (n) => {
  let s = 0n
  for (let i = 0; i < n; i++) {
    s += words[i & 1023]
    if (s > W) s -= MOD
  }
  return s
})

const memory = new Uint8Array(4096).map((_, i) => (i * 31 + 7) & 255)
const view = new DataView(memory.buffer)
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))
const viaHex = time(
  '32 bytes -> bigint via a hex string',
  (n) => {
    let s = 0n
    for (let i = 0; i < n; i++) {
      const o = (i * 32) & 4063
      let h = '0x'
      for (let j = 0; j < 32; j++) h += HEX[memory[o + j]]
      s ^= BigInt(h)
    }
    return s
  },
  5_000_000,
)
const viaView = time(
  '32 bytes -> bigint via 4 getBigUint64',
  (n) => {
    let s = 0n
    for (let i = 0; i < n; i++) {
      const o = (i * 32) & 4063
      s ^=
        (view.getBigUint64(o) << 192n) |
        (view.getBigUint64(o + 8) << 128n) |
        (view.getBigUint64(o + 16) << 64n) |
        view.getBigUint64(o + 24)
    }
    return s
  },
  5_000_000,
)

console.log('\nfactors:')
console.log(`  sync vs await per op          ${(awaited / numberGas).toFixed(1)}x`)
console.log(`  gas number vs bigint          ${(bigintGas / numberGas).toFixed(2)}x`)
console.log(`  ADD compare vs asUintN        ${(asUint / compare).toFixed(2)}x`)
console.log(`  memory word DataView vs hex   ${(viaHex / viaView).toFixed(2)}x`)
