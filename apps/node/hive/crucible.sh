#!/bin/bash
# hive's entry point for crucible: the genesis (/genesis.json, its config rebuilt from the
# HIVE_* fork variables), the chain (/chain.rlp, then /blocks/* in numeric order) imported
# into a datadir, then `crucible node` on 8545 (HTTP and WebSocket) and 8551 (Engine API,
# hive's JWT secret). Variables read: HIVE_CHAIN_ID, HIVE_FORK_*, HIVE_MERGE_BLOCK_ID,
# HIVE_TERMINAL_TOTAL_DIFFICULTY, HIVE_<FORK>_TIMESTAMP, HIVE_<FORK>_BLOB_*,
# HIVE_DEPOSIT_CONTRACT_ADDRESS, HIVE_LOGLEVEL (0-5). Not supported: HIVE_CLIQUE_*, HIVE_MINER*,
# HIVE_BOOTNODE (no devp2p), HIVE_GRAPHQL_ENABLED.
set -e

crucible="node --conditions=@crucible/source --import tsx /crucible/apps/node/src/cli.ts"
datadir=/crucible-data
verbosity=${HIVE_LOGLEVEL:-3}
[ "$verbosity" -gt 4 ] && verbosity=4

node /mapper.mjs /genesis.json /genesis-mapped.json
echo "Initializing the datadir with the genesis..."
$crucible init --datadir "$datadir" --genesis /genesis-mapped.json

# Some imports are meant to fail (hive's invalid-block tests): the head stays at the last
# valid block, and the node starts anyway.
set +e
if [ -f /chain.rlp ]; then
  echo "Importing /chain.rlp..."
  $crucible import --datadir "$datadir" --progress log /chain.rlp
else
  echo "Warning: /chain.rlp not found."
fi
if [ -d /blocks ]; then
  echo "Importing /blocks..."
  (cd /blocks && $crucible import --datadir "$datadir" --progress log $(ls | sort -n))
fi
set -e

# hive's Engine API secret: the 32 ASCII bytes "secretsecret...".
echo "0x7365637265747365637265747365637265747365637265747365637265747365" > /jwtsecret

exec $crucible node --datadir "$datadir" \
  --http.addr 0.0.0.0 --http.port 8545 --http.corsdomain '*' \
  --http.api eth,net,web3,debug,txpool,testing \
  --authrpc.addr 0.0.0.0 --authrpc.port 8551 --authrpc.jwtsecret /jwtsecret \
  --verbosity "$verbosity"
