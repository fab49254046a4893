// Generator of the BLAKE2F (EIP-152) WebAssembly module: emits the binary and a WAT rendering of
// the very same instructions, without any assembler. Pure (no I/O): ../outputs.mjs writes
// packages/precompiles/src/blake2f/{blake2f.wat,blake2f-wasm.ts} from it.
//
// Module: one exported page of memory and three functions, called in this order:
//   init(final)      builds the message rows and the working vector v from h, m, t, final;
//   run(rounds, row) runs `rounds` (unsigned) rounds on v starting at message row `row` (0..9);
//                    callable repeatedly, so a host can split 2^32 - 1 rounds into chunks and let
//                    the engine tier the loop up between calls (V8 has no on-stack replacement for
//                    wasm: a single long call would stay in its baseline compiler throughout);
//   finish()         h ^= v[0..8] ^ v[8..16].
// Memory layout: h (8 × u64 LE) at 0, in place; m (16 × u64) at 64; t (2 × u64) at 192;
// SIGMA (160 bytes, word index × 8) at 256 as a data segment; the ten permuted message rows
// (10 × 16 × u64) at 512..1792; v (16 × u64) at 1792..1920.

const SIGMA = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
  [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
  [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
  [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
  [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
  [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
  [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
  [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
  [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
  [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
]
const IV = [
  0x6a09e667f3bcc908n,
  0xbb67ae8584caa73bn,
  0x3c6ef372fe94f82bn,
  0xa54ff53a5f1d36f1n,
  0x510e527fade682d1n,
  0x9b05688c2b3e6c1fn,
  0x1f83d9abfb41bd6bn,
  0x5be0cd19137e2179n,
]
const M = 64
const T = 192
const SIGMA_AT = 256
const SCHEDULE = 512
const SCHEDULE_END = SCHEDULE + 10 * 128
const V = SCHEDULE_END

function uleb(n) {
  const out = []
  do {
    let byte = n & 0x7f
    n >>>= 7
    if (n !== 0) byte |= 0x80
    out.push(byte)
  } while (n !== 0)
  return out
}

function sleb(value) {
  let n = BigInt.asIntN(64, BigInt(value))
  const out = []
  for (;;) {
    const byte = Number(n & 0x7fn)
    n >>= 7n
    if ((n === 0n && (byte & 0x40) === 0) || (n === -1n && (byte & 0x40) !== 0)) {
      out.push(byte)
      return out
    }
    out.push(byte | 0x80)
  }
}

const str = (s) => [...uleb(s.length), ...[...s].map((c) => c.charCodeAt(0))]
const vec = (items) => [...uleb(items.length), ...items.flat()]
const section = (id, body) => [id, ...uleb(body.length), ...body]

/** An instruction emitter for one function body: its bytes and its WAT lines. */
function emitter(names) {
  const code = []
  const wat = []
  let depth = 2
  const op = (text, ...bytes) => {
    if (text === 'end') depth--
    wat.push(`${'  '.repeat(depth)}${text}`)
    if (text.startsWith('block') || text.startsWith('loop') || text === 'if') depth++
    code.push(...bytes)
  }
  return {
    code,
    wat,
    op,
    get: (l) => op(`local.get ${names[l]}`, 0x20, l),
    set: (l) => op(`local.set ${names[l]}`, 0x21, l),
    tee: (l) => op(`local.tee ${names[l]}`, 0x22, l),
    i32c: (n) => op(`i32.const ${n}`, 0x41, ...sleb(n)),
    i64c: (n) => op(`i64.const 0x${BigInt.asUintN(64, BigInt(n)).toString(16)}`, 0x42, ...sleb(n)),
    load64: (offset) => op(`i64.load offset=${offset}`, 0x29, 3, ...uleb(offset)),
    store64: (offset) => op(`i64.store offset=${offset}`, 0x37, 3, ...uleb(offset)),
  }
}

/** init(final): message rows schedule[r][k] = m[SIGMA[r][k]]; v = h ‖ IV ^ (0, 0, 0, 0, t0, t1, -f, 0). */
function init() {
  const e = emitter(['$final', '$i'])
  const { op, get, set, tee, i32c, i64c, load64, store64 } = e
  i32c(0)
  set(1)
  op('loop $permute', 0x03, 0x40)
  get(1)
  i32c(3)
  op('i32.shl', 0x74)
  get(1)
  op(`i32.load8_u offset=${SIGMA_AT}`, 0x2d, 0, ...uleb(SIGMA_AT))
  load64(M)
  store64(SCHEDULE)
  get(1)
  i32c(1)
  op('i32.add', 0x6a)
  tee(1)
  i32c(160)
  op('i32.lt_u', 0x49)
  op('br_if $permute', 0x0d, 0)
  op('end', 0x0b)
  for (let k = 0; k < 8; k++) {
    i32c(0)
    i32c(0)
    load64(8 * k)
    store64(V + 8 * k)
  }
  for (let k = 0; k < 8; k++) {
    i32c(0)
    i64c(IV[k])
    if (k === 4 || k === 5) {
      i32c(0)
      load64(T + 8 * (k - 4))
      op('i64.xor', 0x85)
    }
    if (k === 6) {
      i64c(-1)
      i64c(0)
      get(0)
      op('select', 0x1b)
      op('i64.xor', 0x85)
    }
    store64(V + 64 + 8 * k)
  }
  return { sig: '(param $final i32)', locals: [[1, 0x7f]], localsWat: '(local $i i32)', ...e }
}

/** run(rounds, row): the rounds, with v in 16 i64 locals and the message read from row p. */
function run() {
  const vNames = Array.from({ length: 16 }, (_, k) => `$v${k}`)
  const e = emitter(['$rounds', '$row', '$p', ...vNames])
  const { op, get, set, tee, i32c, i64c, load64, store64 } = e
  const v = (k) => 3 + k
  const P = 2
  for (let k = 0; k < 16; k++) {
    i32c(0)
    load64(V + 8 * k)
    set(v(k))
  }
  get(1)
  i32c(7)
  op('i32.shl', 0x74)
  i32c(SCHEDULE)
  op('i32.add', 0x6a)
  set(P)

  const mix = (a, b, c, d, x, y) => {
    const addMsg = (k) => {
      get(v(a))
      get(v(b))
      op('i64.add', 0x7c)
      get(P)
      load64(8 * k)
      op('i64.add', 0x7c)
      set(v(a))
    }
    const rot = (dst, src, n) => {
      get(v(dst))
      get(v(src))
      op('i64.xor', 0x85)
      i64c(n)
      op('i64.rotr', 0x8a)
      set(v(dst))
    }
    const add = (dst, src) => {
      get(v(dst))
      get(v(src))
      op('i64.add', 0x7c)
      set(v(dst))
    }
    addMsg(x)
    rot(d, a, 32)
    add(c, d)
    rot(b, c, 24)
    addMsg(y)
    rot(d, a, 16)
    add(c, d)
    rot(b, c, 63)
  }

  op('block $done', 0x02, 0x40)
  op('loop $round', 0x03, 0x40)
  get(0)
  op('i32.eqz', 0x45)
  op('br_if $done', 0x0d, 1)
  mix(0, 4, 8, 12, 0, 1)
  mix(1, 5, 9, 13, 2, 3)
  mix(2, 6, 10, 14, 4, 5)
  mix(3, 7, 11, 15, 6, 7)
  mix(0, 5, 10, 15, 8, 9)
  mix(1, 6, 11, 12, 10, 11)
  mix(2, 7, 8, 13, 12, 13)
  mix(3, 4, 9, 14, 14, 15)
  // Next message row, wrapping after the tenth; one round fewer to go.
  get(P)
  i32c(128)
  op('i32.add', 0x6a)
  tee(P)
  i32c(SCHEDULE_END)
  op('i32.eq', 0x46)
  op('if', 0x04, 0x40)
  i32c(SCHEDULE)
  set(P)
  op('end', 0x0b)
  get(0)
  i32c(1)
  op('i32.sub', 0x6b)
  set(0)
  op('br $round', 0x0c, 0)
  op('end', 0x0b)
  op('end', 0x0b)
  for (let k = 0; k < 16; k++) {
    i32c(0)
    get(v(k))
    store64(V + 8 * k)
  }
  return {
    sig: '(param $rounds i32) (param $row i32)',
    locals: [
      [1, 0x7f],
      [16, 0x7e],
    ],
    localsWat: `(local $p i32) ${vNames.map((name) => `(local ${name} i64)`).join(' ')}`,
    ...e,
  }
}

/** finish(): h[k] ^= v[k] ^ v[k + 8]. */
function finish() {
  const e = emitter([])
  const { op, i32c, load64, store64 } = e
  for (let k = 0; k < 8; k++) {
    i32c(0)
    i32c(0)
    load64(8 * k)
    i32c(0)
    load64(V + 8 * k)
    op('i64.xor', 0x85)
    i32c(0)
    load64(V + 64 + 8 * k)
    op('i64.xor', 0x85)
    store64(8 * k)
  }
  return { sig: '', locals: [], localsWat: '', ...e }
}

/** Builds the module; returns its bytes and the WAT text of the very same instructions. */
export function buildBlake2fWasm() {
  const funcs = [
    { name: 'init', params: [0x7f], ...init() },
    { name: 'run', params: [0x7f, 0x7f], ...run() },
    { name: 'finish', params: [], ...finish() },
  ]
  const sigmaBytes = SIGMA.flat().map((x) => x * 8)
  const bytes = Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec(funcs.map((f) => [0x60, ...vec(f.params.map((p) => [p])), ...vec([])]))),
    ...section(3, vec(funcs.map((_, i) => [i]))),
    ...section(5, vec([[0x00, 1]])),
    ...section(7, vec([[...str('memory'), 0x02, 0], ...funcs.map((f, i) => [...str(f.name), 0x00, i])])),
    ...section(
      10,
      vec(
        funcs.map((f) => {
          const body = [...vec(f.locals.map(([n, type]) => [...uleb(n), type])), ...f.code, 0x0b]
          return [...uleb(body.length), ...body]
        }),
      ),
    ),
    ...section(11, vec([[0x00, 0x41, ...sleb(SIGMA_AT), 0x0b, ...vec(sigmaBytes.map((b) => [b]))]])),
  ])

  const hex = sigmaBytes.map((b) => `\\${b.toString(16).padStart(2, '0')}`).join('')
  const text = [
    ';; BLAKE2b compression function F with a caller-chosen number of rounds (EIP-152).',
    ';; GENERATED by tooling/codegen (src/generators/blake2f-wasm.mjs): do not edit.',
    ';; Memory: h (8 x u64 LE, in place) at 0, m (16 x u64) at 64, t (2 x u64) at 192, SIGMA x 8 at',
    `;; ${SIGMA_AT}, the ten permuted message rows at ${SCHEDULE}..${SCHEDULE_END}, v at ${V}..${V + 128}.`,
    ';; Call init(final), then run(rounds, row) once or in chunks (row = rounds done mod 10), then finish().',
    '(module',
    '  (memory (export "memory") 1)',
    ...funcs.flatMap((f) => [
      `  (func (export "${f.name}")${f.sig ? ` ${f.sig}` : ''}`,
      ...(f.localsWat ? [`    ${f.localsWat}`] : []),
      ...f.wat,
      '  )',
    ]),
    `  (data (i32.const ${SIGMA_AT}) "${hex}")`,
    ')',
    '',
  ].join('\n')
  return { bytes, wat: text }
}
