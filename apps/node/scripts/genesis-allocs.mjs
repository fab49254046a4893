// Extracts the built-in genesis allocations from go-ethereum's core/genesis_alloc.go (Go string
// literals holding RLP: [[addr, balance, [nonce, code, [[key, value]...]]?]...]) into
// apps/node/genesis/<network>.alloc.rlp, the bytes as they are. Run once when geth's change:
//   node apps/node/scripts/genesis-allocs.mjs path/to/genesis_alloc.go
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const NETWORKS = { mainnet: 'mainnetAllocData', sepolia: 'sepoliaAllocData' }
const SIMPLE = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, '"': 34, "'": 39 }

/** The bytes of a Go interpreted string literal's body (Go's %q output). */
function goStringBytes(body) {
  const out = []
  for (let i = 0; i < body.length; ) {
    const c = body[i]
    if (c !== '\\') {
      const cp = body.codePointAt(i)
      out.push(...Buffer.from(String.fromCodePoint(cp), 'utf8'))
      i += cp > 0xffff ? 2 : 1
      continue
    }
    const e = body[i + 1]
    if (e === 'x') {
      out.push(Number.parseInt(body.slice(i + 2, i + 4), 16))
      i += 4
    } else if (e === 'u' || e === 'U') {
      const n = e === 'u' ? 4 : 8
      out.push(
        ...Buffer.from(String.fromCodePoint(Number.parseInt(body.slice(i + 2, i + 2 + n), 16)), 'utf8'),
      )
      i += 2 + n
    } else if (e >= '0' && e <= '7') {
      out.push(Number.parseInt(body.slice(i + 1, i + 4), 8))
      i += 4
    } else if (e in SIMPLE) {
      out.push(SIMPLE[e])
      i += 2
    } else throw new Error(`unknown escape \\${e}`)
  }
  return Buffer.from(out)
}

const source = readFileSync(process.argv[2], 'utf8')
for (const [network, name] of Object.entries(NETWORKS)) {
  const match = new RegExp(`^const ${name} = "(.*)"$`, 'm').exec(source)
  if (!match) throw new Error(`${name} not found`)
  const bytes = goStringBytes(match[1])
  const path = join(import.meta.dirname, '..', 'genesis', `${network}.alloc.rlp`)
  writeFileSync(path, bytes)
  console.log(`${path}: ${bytes.length} bytes`)
}
