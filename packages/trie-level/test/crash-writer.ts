// Child process for the crash test: flushes rounds of updates until it is killed.
import { utf8ToBytes } from '@crucible/primitives'
import { openLevelTrie } from '../src/index.js'

const { trie } = await openLevelTrie(process.argv[2]!, { secure: true })
for (let round = 0; ; round++) {
  for (let i = 0; i < 200; i++)
    await trie.put(utf8ToBytes(`key-${(round * 37 + i) % 5000}`), utf8ToBytes(`v${round}-${i}`))
  await trie.flush()
  if (round === 2) process.stdout.write('ready\n')
}
