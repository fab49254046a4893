import { describe, expect, it } from 'vitest'
import {
  type Benchmark,
  type Engine,
  filterBenchmarks,
  geomean,
  median,
  mgasPerSecond,
  parseArgs,
  parseHexFile,
  parseManifest,
  runBenchmarks,
  speedupOf,
  summarize,
  toJson,
  verifyRun,
} from '../src/index.js'

const files: Record<string, string> = {
  'a/code.hex': '6001600101\n',
  'a/x.calldata.hex': 'aabb\n',
  'a/x.expected.hex': '\n',
  'a/y.calldata.hex': '\n',
  'a/y.expected.hex': '00ff\n',
  'b/code.hex': '00\n',
  'b/init.hex': '600a\n',
  'b/z.calldata.hex': '30627b7c\n',
  'b/z.expected.hex': '\n',
}

const manifestJson = JSON.stringify([
  {
    name: 'a',
    group: 'evmone/main',
    code: 'a/code.hex',
    source: 'src',
    to: '0xbe7c43a580000000000000000000000000000001',
    gas_limit: 1000000000,
    fresh_state_per_run: false,
    inputs: [
      {
        label: 'x',
        calldata: 'a/x.calldata.hex',
        expected: 'a/x.expected.hex',
        exec_gas: 21,
        exec_refund: 0,
      },
      { label: 'y', calldata: 'a/y.calldata.hex', expected: 'a/y.expected.hex', exec_gas: 5 },
    ],
  },
  {
    name: 'b',
    group: 'evm-bench',
    code: 'b/code.hex',
    init: 'b/init.hex',
    to: '0xbe7c43a580000000000000000000000000000001',
    gas_limit: 1000000000,
    fresh_state_per_run: true,
    inputs: [{ label: 'z', calldata: 'b/z.calldata.hex', expected: 'b/z.expected.hex', exec_gas: 7 }],
  },
])

const read = (path: string) => {
  const text = files[path]
  if (text === undefined) throw new Error(`no file ${path}`)
  return text
}

describe('manifest', () => {
  it('parses benchmarks, data files and gas', () => {
    const [a, b] = parseManifest(manifestJson, read)
    expect(a.name).toBe('a')
    expect(a.code).toEqual(Uint8Array.of(0x60, 0x01, 0x60, 0x01, 0x01))
    expect(a.init).toBeUndefined()
    expect(a.to).toBe(0xbe7c43a580000000000000000000000000000001n)
    expect(a.gasLimit).toBe(1_000_000_000n)
    expect(a.inputs.map((i) => i.label)).toEqual(['x', 'y'])
    expect(a.inputs[0].calldata).toEqual(Uint8Array.of(0xaa, 0xbb))
    expect(a.inputs[0].expected).toEqual(new Uint8Array(0))
    expect(a.inputs[1].calldata).toEqual(new Uint8Array(0))
    expect(a.inputs[1].expected).toEqual(Uint8Array.of(0, 255))
    expect(a.inputs[0].execGas).toBe(21n)
    expect(a.inputs[1].execRefund).toBe(0n)
    expect(b.init).toEqual(Uint8Array.of(0x60, 0x0a))
    expect(b.freshStatePerRun).toBe(true)
  })

  it('rejects malformed hex and addresses', () => {
    expect(() => parseHexFile('abc')).toThrow()
    expect(() => parseHexFile('zz')).toThrow()
    expect(parseHexFile('0xAbCd\n')).toEqual(Uint8Array.of(0xab, 0xcd))
    const bad = JSON.parse(manifestJson)
    bad[0].to = '0x1234'
    expect(() => parseManifest(JSON.stringify(bad), read)).toThrow(/address/)
  })

  it('filters inputs by benchmark/label', () => {
    const all = parseManifest(manifestJson, read)
    expect(filterBenchmarks(all, /^a\/y$/).map((b) => [b.name, b.inputs.map((i) => i.label)])).toEqual([
      ['a', ['y']],
    ])
    expect(filterBenchmarks(all, /z/).map((b) => b.name)).toEqual(['b'])
    expect(filterBenchmarks(all, undefined)).toBe(all)
  })
})

describe('stats', () => {
  it('median', () => {
    expect(median([3, 1, 2])).toBe(2)
    expect(median([4, 1, 3, 2])).toBe(2.5)
    expect(() => median([])).toThrow()
  })
  it('geomean', () => {
    expect(geomean([2, 8])).toBeCloseTo(4, 12)
    expect(geomean([1, 10, 100])).toBeCloseTo(10, 12)
    expect(() => geomean([1, 0])).toThrow()
  })
  it('Mgas/s', () => {
    expect(mgasPerSecond(50_000_000n, 1000)).toBe(50)
    expect(mgasPerSecond(1_000_000, 10)).toBe(100)
  })
})

describe('verification', () => {
  const [a] = parseManifest(manifestJson, read)
  const [x, y] = a.inputs
  it('accepts matching output and gas', () => {
    expect(verifyRun({ output: new Uint8Array(0), gasUsed: 21n }, x)).toEqual([])
    expect(verifyRun({ output: Uint8Array.of(0, 255), gasUsed: 5 }, y)).toEqual([])
  })
  it('reports wrong output, wrong gas and failed calls', () => {
    expect(verifyRun({ output: Uint8Array.of(1), gasUsed: 21n }, x)[0]).toMatch(/output 0x01/)
    expect(verifyRun({ output: Uint8Array.of(0, 254), gasUsed: 5n }, y)).toHaveLength(1)
    expect(verifyRun({ output: new Uint8Array(0), gasUsed: 20n }, x)).toEqual(['gas 20 != exec_gas 21'])
    expect(verifyRun({ output: new Uint8Array(0), gasUsed: 21n, error: 'revert' }, x)).toEqual([
      'call failed: revert',
    ])
  })
})

describe('cli arguments', () => {
  it('parses options', () => {
    const a = parseArgs(['dir', '--filter', 'sha1', '--runs=3', '--json', 'out.json', '--suite', 'all'])
    expect(a.manifestDir).toBe('dir')
    expect(a.filter?.source).toBe('sha1')
    expect(a.runs).toBe(3)
    expect(a.json).toBe('out.json')
    expect(a.suites).toEqual(['evm', 'keccak', 'trie', 'tx', 'precompiles', 'dispatch', 'rlp'])
    expect(parseArgs([]).suites).toEqual(['evm'])
    expect(parseArgs(['--suite', 'trie,tx']).suites).toEqual(['trie', 'tx'])
  })
  it('rejects bad options', () => {
    expect(() => parseArgs(['--runs', '0'])).toThrow()
    expect(() => parseArgs(['--suite', 'nope'])).toThrow()
    expect(() => parseArgs(['--bogus'])).toThrow()
    expect(() => parseArgs(['--json'])).toThrow()
  })
})

/** A fake engine that returns canned results: exercises the runner's bookkeeping, not timing. */
function fakeEngine(name: string, answer: (b: Benchmark, label: string) => { out: number[]; gas: number }) {
  const calls: string[] = []
  const engine: Engine<Benchmark> = {
    name,
    prepare: (b) => {
      calls.push(`prepare ${b.name}`)
      return b
    },
    run: (b, input) => {
      calls.push(`run ${b.name}/${input.label}`)
      const { out, gas } = answer(b, input.label)
      return { output: Uint8Array.from(out), gasUsed: gas }
    },
    reset: (b) => {
      calls.push(`reset ${b.name}`)
    },
  }
  return { engine: engine as Engine, calls }
}

describe('runner', () => {
  const benchmarks = parseManifest(manifestJson, read)
  const correct = (_b: Benchmark, label: string) =>
    label === 'x' ? { out: [], gas: 21 } : label === 'y' ? { out: [0, 255], gas: 5 } : { out: [], gas: 7 }
  const options = { runs: 3, minSampleMs: 0, warmupMs: 0 }

  it('verifies every engine, resets after every execution and summarizes', async () => {
    const c = fakeEngine('crucible', correct)
    const e = fakeEngine('ethereumjs', correct)
    const results = await runBenchmarks(benchmarks, [c.engine, e.engine], options)
    expect(results.map((r) => `${r.benchmark}/${r.input}`)).toEqual(['a/x', 'a/y', 'b/z'])
    for (const r of results) for (const t of r.timings) expect(t.problems).toEqual([])
    for (const r of results) for (const t of r.timings) expect(t.samples).toHaveLength(3)
    // prepare once per benchmark; every run followed by a reset
    expect(c.calls.filter((s) => s.startsWith('prepare'))).toEqual(['prepare a', 'prepare b'])
    const runs = c.calls.filter((s) => s.startsWith('run')).length
    expect(c.calls.filter((s) => s.startsWith('reset')).length).toBe(runs)
    const s = summarize(results)
    expect(s.failures).toBe(0)
    const json = toJson(results, s)
    expect(json.inputs.map((i) => i.gas)).toEqual([21, 5, 7])
    expect(Object.keys(json)).toEqual(
      expect.arrayContaining(['inputs', 'geomean_speedup', 'aggregate_mgas_s', 'peak_rss_mb']),
    )
    expect(json.peak_rss_mb).toBeGreaterThan(0)
  })

  it('excludes an engine whose output or gas is wrong', async () => {
    const c = fakeEngine('crucible', (b, label) =>
      label === 'y' ? { out: [0, 254], gas: 5 } : correct(b, label),
    )
    const e = fakeEngine('ethereumjs', correct)
    const results = await runBenchmarks(benchmarks, [c.engine, e.engine], options)
    const y = results.find((r) => r.input === 'y')!
    expect(y.timings[0].problems[0]).toMatch(/output/)
    expect(y.timings[0].ms).toBeUndefined()
    expect(y.timings[0].samples).toEqual([])
    expect(y.speedup).toBeUndefined()
    expect(summarize(results).failures).toBe(1)
  })

  it('reports a prepare failure without stopping the run', async () => {
    const c = fakeEngine('crucible', correct)
    c.engine.prepare = () => {
      throw new Error('no EVM yet')
    }
    const e = fakeEngine('ethereumjs', correct)
    const results = await runBenchmarks(benchmarks, [c.engine, e.engine], options)
    expect(results).toHaveLength(3)
    for (const r of results) expect(r.timings[0].problems).toEqual(['prepare failed: no EVM yet'])
    for (const r of results) expect(r.timings[1].samples).toHaveLength(3)
  })

  it('speedup is reference time over crucible time', () => {
    const t = (engine: string, ms: number) => ({ engine, ms, samples: [], iterations: 1, problems: [] })
    expect(speedupOf([t('crucible', 2), t('ethereumjs', 10)])).toBe(5)
    expect(speedupOf([t('ethereumjs', 10)])).toBeUndefined()
  })
})
