/**
 * The flags of `crucible node --dev` (anvil's names), in the `node` command's spec (args.ts).
 * Their own file: args.ts lists them and commands/dev.ts reads them, without a cycle.
 */
export const DEV_FLAGS = [
  {
    name: 'in-memory',
    help: 'Keep the dev chain in memory only (nothing written; gone when the node stops)',
  },
  { name: 'accounts', value: 'N', help: 'Dev accounts to derive and fund (default 10)' },
  { name: 'balance', value: 'ETH', help: 'Balance of each dev account in ether (default 10000)' },
  {
    name: 'mnemonic',
    value: 'WORDS',
    help: 'BIP-39 mnemonic of the dev accounts (default: test test ... junk, as anvil and Hardhat)',
  },
  { name: 'chain-id', value: 'ID', help: 'Chain id of a new dev chain (default 31337)' },
  {
    name: 'hardfork',
    value: 'NAME',
    help: 'Fork of a new dev chain: osaka (default), prague, cancun, shanghai, ...',
  },
  { name: 'gas-limit', value: 'GAS', help: 'Block gas limit of a new dev chain (default 30000000)' },
  {
    name: 'block-time',
    value: 'SECONDS',
    help: 'Mine a block every SECONDS (interval mining) instead of per transaction',
  },
  { name: 'no-mining', help: 'Mine only on evm_mine / anvil_mine (no automine)' },
  {
    name: 'port',
    value: 'PORT',
    help: 'JSON-RPC port (default 8545; 0 picks a free one); same as --http.port',
  },
  { name: 'host', value: 'HOST', help: 'JSON-RPC interface (default 127.0.0.1); same as --http.addr' },
  {
    name: 'load-state',
    value: 'FILE',
    help: 'Load an anvil state dump (JSON, as anvil --dump-state writes) at start',
  },
  { name: 'dump-state', value: 'FILE', help: 'Write the state as an anvil state dump when the node stops' },
  {
    name: 'fork-url',
    value: 'URL',
    help: 'Fork the chain of the JSON-RPC node at URL: its state is fetched as it is read, and cached in the datadir',
  },
  {
    name: 'fork-block-number',
    value: 'N',
    help: 'With --fork-url: fork at block N (default: the upstream head)',
  },
  { name: 'silent', help: 'Print no banner and no block lines' },
] as const
