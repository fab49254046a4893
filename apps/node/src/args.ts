import { DEV_FLAGS } from './dev-flags.js'
import { NodeError } from './errors.js'

/** A flag of a command: `--name VALUE` (or `--name=VALUE`), or a switch without a value. */
export interface FlagSpec {
  name: string
  value?: string
  help: string
}

export interface CommandSpec {
  name: string
  usage: string
  summary: string
  /** Longer text under the usage line. */
  description: string
  flags: FlagSpec[]
}

export interface ParsedArgs {
  flags: Map<string, string | true>
  positional: string[]
}

const DATADIR: FlagSpec = {
  name: 'datadir',
  value: 'DIR',
  help: 'Data directory for the chain database (default ~/.crucible). Chain data lives in DIR/crucible/chaindata.',
}

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'init',
    usage: 'crucible init --datadir DIR (--genesis FILE | --network mainnet|sepolia|dev)',
    summary: 'Bootstrap and initialize a new genesis block',
    description:
      'Writes the genesis block and its state into a new datadir. FILE is a geth-format genesis.json\n' +
      '(config with the fork schedule, blobSchedule and BPO forks; alloc; header fields). Running it\n' +
      'again with the same genesis does nothing; with another genesis it fails and changes nothing.',
    flags: [
      DATADIR,
      { name: 'genesis', value: 'FILE', help: 'A geth-format genesis.json' },
      {
        name: 'network',
        value: 'NAME',
        help: 'A built-in genesis: mainnet, sepolia or dev (chain id 31337, newest fork)',
      },
      { name: 'mainnet', help: 'Same as --network mainnet' },
      { name: 'sepolia', help: 'Same as --network sepolia' },
      { name: 'dev', help: 'Same as --network dev' },
    ],
  },
  {
    name: 'import',
    usage: 'crucible import --datadir DIR [--genesis FILE] FILE...',
    summary: 'Import blocks from RLP files',
    description:
      "Reads blocks in geth's export format (RLP blocks one after another; .gz files are unpacked),\n" +
      'validates and executes each one and commits it atomically. Blocks already stored are skipped,\n' +
      'so running it again resumes. The first invalid block stops the import with its reason and a\n' +
      'non-zero exit; the head stays at the last valid block. Without an initialized datadir, --genesis\n' +
      '(or --network) initializes it first.',
    flags: [
      DATADIR,
      { name: 'genesis', value: 'FILE', help: 'Genesis for a new datadir (checked against an existing one)' },
      { name: 'network', value: 'NAME', help: 'Built-in genesis for a new datadir: mainnet, sepolia or dev' },
      {
        name: 'progress',
        value: 'MODE',
        help: 'auto (bar in a terminal, log lines otherwise), bar, log or none',
      },
    ],
  },
  {
    name: 'export',
    usage: 'crucible export --datadir DIR FILE [FIRST [LAST]]',
    summary: 'Export canonical blocks to an RLP file',
    description:
      'Writes the canonical blocks FIRST..LAST (default: genesis to head) to FILE in the format import\n' +
      'reads. A FILE ending in .gz is compressed.',
    flags: [DATADIR],
  },
  {
    name: 'node',
    usage:
      'crucible node --datadir DIR [flags]  |  crucible node --dev [--datadir DIR | --in-memory] [flags]',
    summary: 'Serve the chain over JSON-RPC and the Engine API',
    description:
      'Opens the chain of an initialized datadir (crucible init / import) and serves it: JSON-RPC over\n' +
      'HTTP and WebSocket on one port (default 127.0.0.1:8545), and the Engine API behind JWT\n' +
      'authentication (default 127.0.0.1:8551), through which a consensus client (or a test) feeds\n' +
      'payloads and forkchoice updates; blocks taken that way are stored and survive a restart.\n' +
      'Without --authrpc.jwtsecret a secret is read from DIR/crucible/jwtsecret, generated there when\n' +
      'absent (a 32-byte hex file, as geth makes one). SIGINT or SIGTERM stops the servers, writes what\n' +
      'is queued and closes the database.\n\n' +
      "--dev starts a development chain instead, like anvil and Hardhat's node, persistent by default:\n" +
      'ten accounts from the mnemonic (test test ... junk) with 10000 ether each, chain id 31337, the\n' +
      'newest fork, a block mined for each transaction, the evm_/anvil_/hardhat_ methods, on\n' +
      '127.0.0.1:8545. Its chain lives in --datadir (default ./.crucible/dev) and survives restarts\n' +
      '(SIGTERM or SIGKILL): run the same command again to resume it. The flags from --in-memory on\n' +
      'are for --dev.',
    flags: [
      DATADIR,
      {
        name: 'dev',
        help: 'A development chain with funded accounts and automining (see crucible node --dev --help)',
      },
      { name: 'http', help: 'Accepted for geth compatibility (HTTP is always on)' },
      { name: 'ws', help: 'Accepted for geth compatibility (WebSocket is always on, on the HTTP port)' },
      {
        name: 'http.addr',
        value: 'HOST',
        help: 'HTTP and WebSocket listening interface (default 127.0.0.1)',
      },
      {
        name: 'http.port',
        value: 'PORT',
        help: 'HTTP and WebSocket listening port (default 8545; 0 picks a free one)',
      },
      {
        name: 'http.corsdomain',
        value: 'LIST',
        help: 'Comma-separated origins allowed to make cross-origin requests (* for any; none by default)',
      },
      {
        name: 'http.api',
        value: 'LIST',
        help: 'Namespaces served: eth, net, web3, debug, txpool, testing (default eth,net,web3, as geth)',
      },
      { name: 'authrpc.addr', value: 'HOST', help: 'Engine API listening interface (default 127.0.0.1)' },
      {
        name: 'authrpc.port',
        value: 'PORT',
        help: 'Engine API listening port (default 8551; 0 picks a free one)',
      },
      {
        name: 'authrpc.jwtsecret',
        value: 'FILE',
        help: 'Hex file with the 32-byte Engine API JWT secret (generated there when absent)',
      },
      {
        name: 'rpc.gascap',
        value: 'GAS',
        help: 'Gas cap of eth_call, eth_estimateGas and eth_simulateV1 (default 50000000)',
      },
      {
        name: 'rpc.evmtimeout',
        value: 'DURATION',
        help: 'Wall-clock limit of one eth_call or eth_estimateGas execution, e.g. 5s, 500ms (default 5s; 0: none)',
      },
      { name: 'rpc.batch-request-limit', value: 'N', help: 'Most requests in one batch (default 1000)' },
      {
        name: 'rpc.max-request-size',
        value: 'BYTES',
        help: 'Largest request body or WebSocket message, e.g. 5242880, 5MiB, 512KiB (default 5MiB)',
      },
      {
        name: 'rpc.max-blocks-per-filter',
        value: 'N',
        help: 'Most blocks one eth_getLogs may scan (default 10000)',
      },
      {
        name: 'rpc.max-logs-per-response',
        value: 'N',
        help: 'Most logs one eth_getLogs may return (default 20000)',
      },
      {
        name: 'verbosity',
        value: 'LEVEL',
        help: 'Log level: 0 silent, 1 error, 2 warn, 3 info (default), 4 debug',
      },
      ...DEV_FLAGS,
    ],
  },
  {
    name: 'trace',
    usage: 'crucible trace --datadir DIR TXHASH [--tracer NAME] [--config JSON]',
    summary: 'Trace a transaction of the chain',
    description:
      'Re-executes the block of transaction TXHASH up to it and writes its trace to standard output, as\n' +
      'debug_traceTransaction answers it: struct logs by default (written as they are made, never held\n' +
      'whole), or a named tracer: callTracer, prestateTracer, 4byteTracer, noopTracer, muxTracer.',
    flags: [
      DATADIR,
      { name: 'tracer', value: 'NAME', help: 'A named tracer (default: the struct logger)' },
      {
        name: 'config',
        value: 'JSON',
        help: 'A TraceConfig: {"disableStack","enableMemory","limit","tracerConfig","timeout",...}',
      },
    ],
  },
  {
    name: 'db',
    usage: 'crucible db stats|inspect --datadir DIR',
    summary: 'Low-level database operations',
    description:
      'inspect: counts and sizes of the entries by kind (headers, bodies, receipts, indexes, state trie\n' +
      "nodes, code, ...), like geth's `db inspect`.\n" +
      'stats: the same totals in brief, with the head and the size of the database on disk.',
    flags: [DATADIR],
  },
  {
    name: 'capsule',
    usage: 'crucible capsule block N|HASH | tx HASH | call JSON --datadir DIR [--out FILE] [--flat]',
    summary: 'Cut an execution capsule of a block, a transaction or a call',
    description:
      "Executes the block (or the transaction, after the block's earlier ones; or the call, on the\n" +
      'post-state of --block) over the stored state and writes one self-contained capsule: rules,\n' +
      'headers for BLOCKHASH, inputs, every account, slot and code read, the trie nodes of every path\n' +
      'read (unless --flat) and the outcome. `crucible replay FILE` re-executes it with no database.\n' +
      'Without --out the capsule goes to standard output.',
    flags: [
      DATADIR,
      { name: 'out', value: 'FILE', help: 'Write the capsule here (default: standard output)' },
      { name: 'flat', help: 'Leave out the trie nodes (replay trusts the recorded pre-state)' },
      {
        name: 'block',
        value: 'N|HASH',
        help: 'call: the block whose post-state the call runs on (default latest)',
      },
      { name: 'overrides', value: 'JSON', help: "call: state overrides, as eth_call's third argument" },
    ],
  },
  {
    name: 'debug',
    usage:
      'crucible debug FILE.capsule [--index I | --tx HASH] | --rpc URL TXHASH | --state-test FILE --fork F\n' +
      '  [--name N] [--index I] | --code HEX [--calldata HEX] [--prestate JSON|FILE] [--fork F]',
    summary: 'Step through a transaction, forwards and backwards',
    description:
      'Opens the terminal debugger on one transaction: a capsule (crucible capsule; a block capsule\n' +
      'needs --index or --tx when it holds several), a transaction of a node by hash (--rpc: its block,\n' +
      'pre-state and block hashes fetched over JSON-RPC; the node must serve debug_traceTransaction),\n' +
      'a state test case, or raw bytecode. Panes: code around the pc, stack (operands marked), memory\n' +
      '(read/written rows), storage (original/current/new), calls with gas, logs; ? shows the keys.\n' +
      'When standard output is not a terminal (or with --lines) it reads one command per line of\n' +
      'standard input and prints one text view per answer (the same commands as after `:`).',
    flags: [
      { name: 'rpc', value: 'URL', help: 'JSON-RPC endpoint of a node that has the transaction' },
      { name: 'state-test', value: 'FILE', help: 'A GeneralStateTests / EEST state_test file' },
      { name: 'name', value: 'NAME', help: 'The test of the state test file (default: the only one)' },
      {
        name: 'fork',
        value: 'FORK',
        help: 'The fork (state tests: required; --rpc: inferred; --code: Prague)',
      },
      { name: 'index', value: 'I', help: "The state test's post index, or the block capsule's transaction" },
      { name: 'tx', value: 'HASH', help: "The block capsule's transaction, by hash" },
      { name: 'code', value: 'HEX', help: 'Runtime code, called by a funded sender' },
      { name: 'calldata', value: 'HEX', help: 'Calldata for --code' },
      { name: 'prestate', value: 'JSON|FILE', help: "More accounts for --code, a state test's pre shape" },
      { name: 'lines', help: 'Line mode even in a terminal' },
      {
        name: 'web',
        help: 'Serve the web debugger on 127.0.0.1 instead (engine in the page; capsule, --code or --state-test)',
      },
      {
        name: 'sources',
        value: 'FILE',
        help: 'The solc standard-JSON input and output ({ input, output }, a Hardhat build-info): source lines',
      },
      { name: 'port', value: 'N', help: 'Port of --web (default: any free port)' },
      { name: 'size', value: 'COLSxROWS', help: 'Screen size of line mode views (default 80x24)' },
    ],
  },
  {
    name: 'replay',
    usage: 'crucible replay FILE | --range A..B --datadir DIR [--workers N]',
    summary: 'Re-execute capsules with no database',
    description:
      'FILE (- for standard input): decodes the capsule, re-executes it from what it holds alone and\n' +
      'compares every recomputed value (state root, receipts root, gas, logs, state diff); exit 0 only\n' +
      'when all match (15 when one differs, 16 for a capsule that is not valid or reads outside\n' +
      'itself). --range: cuts the capsule of each block A..B from the datadir and replays them on N\n' +
      'worker threads that see nothing but the capsules; reports blocks/s.',
    flags: [
      DATADIR,
      { name: 'range', value: 'A..B', help: 'Blocks to cut and replay statelessly' },
      { name: 'workers', value: 'N', help: 'Worker threads for --range (default: cores - 1)' },
      {
        name: 'cut-first',
        help: '--range: cut every capsule before replaying any (measures the replay rate alone)',
      },
    ],
  },
]

export const GLOBAL_USAGE = `crucible: an Ethereum execution layer in TypeScript

USAGE
  crucible COMMAND [flags] [arguments]

COMMANDS
${COMMANDS.map((c) => `  ${c.name.padEnd(8)} ${c.summary}`).join('\n')}
  help     Show help for a command

Run \`crucible COMMAND --help\` for the flags of a command.
`

export function commandHelp(spec: CommandSpec): string {
  const flags = [...spec.flags, { name: 'help', help: 'Show this help' }]
  const width = Math.max(...flags.map((f) => f.name.length + (f.value ? f.value.length + 1 : 0))) + 4
  return `${spec.summary}

USAGE
  ${spec.usage}

${spec.description}

FLAGS
${flags.map((f) => `  ${`--${f.name}${f.value ? ` ${f.value}` : ''}`.padEnd(width)} ${f.help}`).join('\n')}
`
}

/**
 * Parses `argv` against a command's flags: `--name value`, `--name=value` and `-name` (geth
 * accepts one dash too); everything else is positional. Unknown flags are usage errors.
 */
export function parseArgs(spec: CommandSpec, argv: readonly string[]): ParsedArgs {
  const flags = new Map<string, string | true>()
  const positional: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '--') {
      positional.push(...argv.slice(i + 1))
      break
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg)
      continue
    }
    const body = arg.replace(/^--?/, '')
    const eq = body.indexOf('=')
    const name = eq < 0 ? body : body.slice(0, eq)
    if (name === 'help' || name === 'h') {
      flags.set('help', true)
      continue
    }
    const flag = spec.flags.find((f) => f.name === name)
    if (!flag) throw new NodeError('USAGE', `unknown flag --${name} for ${spec.name}`)
    if (!flag.value) {
      flags.set(name, true)
      continue
    }
    const value = eq < 0 ? argv[++i] : body.slice(eq + 1)
    if (value === undefined || value === '')
      throw new NodeError('USAGE', `--${name} needs a value (${flag.value})`)
    flags.set(name, value)
  }
  return { flags, positional }
}

/** A flag's value, or undefined. */
export function flagValue(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags.get(name)
  return typeof v === 'string' ? v : undefined
}
