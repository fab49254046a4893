// Executes a block file with @ethereumjs/vm's runBlock, in its own process so its memory is
// its own: `node --import tsx ethereumjs-import.ts genesis.json chain.rlp [MAX_BLOCKS]`.
// Prints one JSON line: { blocks, txs, gas, ms, cpuMs, peakRss, stateRoot }.
import { readFileSync } from 'node:fs'
import { createBlockFromRLP } from '@ethereumjs/block'
import { createCommonFromGethGenesis, Hardfork, parseGethGenesisState } from '@ethereumjs/common'
import { bytesToHex } from '@ethereumjs/util'
import { createVM, runBlock } from '@ethereumjs/vm'

/** Splits concatenated RLP lists. */
function splitBlocks(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = []
  for (let at = 0; at < bytes.length; ) {
    const first = bytes[at]!
    let length: number
    if (first <= 0xf7) length = 1 + first - 0xc0
    else {
      const n = first - 0xf7
      let payload = 0
      for (let i = 1; i <= n; i++) payload = payload * 256 + bytes[at + i]!
      length = 1 + n + payload
    }
    out.push(bytes.subarray(at, at + length))
    at += length
  }
  return out
}

const [genesisPath, chainPath, maxText] = process.argv.slice(2)
const genesis = JSON.parse(readFileSync(genesisPath!, 'utf8'))
const common = createCommonFromGethGenesis(genesis, { chain: 'import-bench', hardfork: Hardfork.Shanghai })
const vm = await createVM({ common })
await vm.stateManager.generateCanonicalGenesis!(parseGethGenesisState(genesis))
const blocks = splitBlocks(new Uint8Array(readFileSync(chainPath!)))
const count = Math.min(blocks.length, maxText === undefined ? blocks.length : Number(maxText))
let txs = 0
let gas = 0n
let stateRoot = ''
const started = performance.now()
const cpuStarted = process.cpuUsage()
for (let i = 0; i < count; i++) {
  const block = createBlockFromRLP(blocks[i]!, { common })
  // Header checks need the parent from a blockchain (ours has none loaded); the body, the
  // transactions and the state root, receipts root, bloom and gas used are checked.
  const result = await runBlock(vm, { block, skipHeaderValidation: true, clearCache: false })
  txs += block.transactions.length
  gas += result.gasUsed
  stateRoot = bytesToHex(result.stateRoot)
}
const ms = performance.now() - started
const cpu = process.cpuUsage(cpuStarted)
const cpuMs = (cpu.user + cpu.system) / 1000
process.stdout.write(
  `${JSON.stringify({ blocks: count, txs, gas: gas.toString(), ms, cpuMs, peakRss: process.resourceUsage().maxRSS * 1024, stateRoot })}\n`,
)
