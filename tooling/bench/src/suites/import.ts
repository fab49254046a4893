import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { buildChain, type ChainShape, DEFAULT_SHAPE } from '../import/chain.js'
import type { BenchTable, SuiteOptions } from '../types.js'

/**
 * Block import: a synthetic chain of full blocks (see ../import/chain.ts) imported by the real
 * `crucible import` command into a fresh LevelDB datadir (a child process: validation,
 * execution, state root computed and committed per block, progress off), and the same blocks
 * executed by @ethereumjs/vm `runBlock` over its in-memory Merkle state manager (another child
 * process, state root checked per block). ethereumjs runs the first `REF_BLOCKS` blocks only
 * (it is slow enough that the whole chain would take most of an hour); the blocks after the
 * first are alike, so its Mgas/s over them is its rate for this load.
 */

const REPO = resolve(import.meta.dirname, '../../../..')
/** The contracts (../shared/bench beside the repository, or $CRUCIBLE_BENCH_DATA). */
const BENCH_DATA = process.env.CRUCIBLE_BENCH_DATA ?? resolve(REPO, '../shared/bench')
const CACHE = join(REPO, '.cache', 'bench')
const TSX = ['--conditions=@crucible/source', '--import', 'tsx']
const REF_BLOCKS = Number(process.env.IMPORT_BENCH_REF_BLOCKS ?? 20)

interface Built {
  genesis: string
  chain: string
  blocks: number
  txs: number
  gas: string
  headHash: string
  headStateRoot: string
}

/** Builds the chain once per shape; later runs read it from .cache/bench. */
export function chainFiles(shape: ChainShape, log: (line: string) => void): Built {
  const dir = join(CACHE, `import-${shape.blocks}x${shape.gasTarget / 1_000_000n}M`)
  const meta = join(dir, 'meta.json')
  if (existsSync(meta)) return JSON.parse(readFileSync(meta, 'utf8')) as Built
  log(`building the chain: ${shape.blocks} blocks of ${shape.gasTarget / 1_000_000n}M gas (cached in ${dir})`)
  const started = performance.now()
  const chain = buildChain(BENCH_DATA, shape)
  mkdirSync(dir, { recursive: true })
  const built: Built = {
    genesis: join(dir, 'genesis.json'),
    chain: join(dir, 'chain.rlp'),
    blocks: chain.blocks.length,
    txs: chain.txs,
    gas: chain.gas.toString(),
    headHash: chain.headHash,
    headStateRoot: chain.headStateRoot,
  }
  writeFileSync(built.genesis, JSON.stringify(chain.genesis))
  writeFileSync(built.chain, Buffer.concat(chain.blocks))
  writeFileSync(meta, JSON.stringify(built, null, 2))
  log(`built in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  return built
}

/** The key=value fields of the app's `Import done` log line. */
function importDoneFields(output: string): Record<string, string> {
  const line = output.split('\n').find((l) => l.includes('Import done'))
  if (!line) throw new Error(`crucible import printed no summary:\n${output}`)
  const fields: Record<string, string> = {}
  for (const m of line.matchAll(/(\S+)=("[^"]*"|\S+)/g)) fields[m[1]!] = m[2]!.replace(/^"|"$/g, '')
  return fields
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MiB`
}

export async function run(options: SuiteOptions): Promise<BenchTable> {
  const log = (line: string) => console.log(line)
  const shape: ChainShape = options.quick ? { ...DEFAULT_SHAPE, blocks: 20 } : DEFAULT_SHAPE
  const built = chainFiles(shape, log)
  const gas = Number(built.gas)
  log(
    `import: ${built.blocks} blocks, ${built.txs} txs, ${(gas / 1e6).toFixed(0)} Mgas; load ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')} on ${cpus().length} CPUs`,
  )

  // Crucible: the command a user runs, into a new datadir.
  const datadir = mkdtempSync(join(tmpdir(), 'crucible-import-bench-'))
  let crucible: Record<string, string>
  try {
    const out = execFileSync(
      process.execPath,
      [
        ...TSX,
        join(REPO, 'apps/node/src/cli.ts'),
        'import',
        '--datadir',
        datadir,
        '--genesis',
        built.genesis,
        '--progress',
        'none',
        built.chain,
      ],
      { cwd: REPO, encoding: 'utf8', maxBuffer: 1 << 26 },
    )
    crucible = importDoneFields(out)
  } finally {
    rmSync(datadir, { recursive: true, force: true })
  }
  if (crucible.head !== String(built.blocks)) throw new Error(`crucible import ended at ${crucible.head}`)
  const crucibleMgasps = Number(crucible.mgasps)
  const crucibleSeconds = gas / 1e6 / crucibleMgasps

  // ethereumjs: runBlock over the first REF_BLOCKS blocks.
  const refBlocks = Math.min(REF_BLOCKS, built.blocks)
  const refOut = execFileSync(
    process.execPath,
    [
      ...TSX,
      join(import.meta.dirname, '../import/ethereumjs-import.ts'),
      built.genesis,
      built.chain,
      String(refBlocks),
    ],
    { cwd: REPO, encoding: 'utf8', maxBuffer: 1 << 26 },
  )
  const ref = JSON.parse(refOut.trim().split('\n').at(-1)!) as {
    blocks: number
    txs: number
    gas: string
    ms: number
    cpuMs: number
    peakRss: number
    stateRoot: string
  }
  if (refBlocks === built.blocks && ref.stateRoot !== built.headStateRoot)
    throw new Error(`ethereumjs state root ${ref.stateRoot}, expected ${built.headStateRoot}`)
  const refMgasps = Number(ref.gas) / 1e6 / (ref.ms / 1000)
  const ratio = crucibleMgasps / refMgasps

  log(
    `crucible import  (${built.blocks} blocks, LevelDB datadir): ${crucibleMgasps.toFixed(1)} Mgas/s, ` +
      `${(built.blocks / crucibleSeconds).toFixed(2)} blocks/s, ${crucibleSeconds.toFixed(1)} s ` +
      `(cpu ${crucible.cpu}), peak RSS ${crucible.peakrss}, DB ${crucible.dbsize}`,
  )
  log(
    `ethereumjs runBlock (${ref.blocks} blocks, in-memory MPT): ${refMgasps.toFixed(1)} Mgas/s, ` +
      `${(ref.blocks / (ref.ms / 1000)).toFixed(2)} blocks/s, ${(ref.ms / 1000).toFixed(1)} s ` +
      `(cpu ${(ref.cpuMs / 1000).toFixed(1)}s), peak RSS ${mib(ref.peakRss)}, DB - (memory)`,
  )
  log(`ratio (Mgas/s): ${ratio.toFixed(1)}x`)
  const perMgas = (ms: number, g: number) => ms / (g / 1e6)
  return {
    title: 'Block import (ms per Mgas; speedup = ratio of Mgas/s)',
    rows: [
      {
        name: `import ${built.blocks}x${shape.gasTarget / 1_000_000n}M`,
        crucible_ms: perMgas(crucibleSeconds * 1000, gas),
        reference_ms: perMgas(ref.ms, Number(ref.gas)),
        reference: '@ethereumjs/vm runBlock',
        speedup: ratio,
        note: `ethereumjs over ${ref.blocks} blocks`,
      },
    ],
  }
}
