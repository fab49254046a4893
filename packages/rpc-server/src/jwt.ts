import { createHmac, timingSafeEqual } from 'node:crypto'

/** How far an `iat` may be from now (the Engine API's ±60 s). */
const MAX_SKEW_SECONDS = 60

function base64url(data: Uint8Array | string): string {
  return Buffer.from(data).toString('base64url')
}

/** An HS256 JWT with `iat` = now (what a consensus client sends). */
export function signJwt(secret: Uint8Array, nowSeconds = Math.floor(Date.now() / 1000)): string {
  const head = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))
  const body = base64url(JSON.stringify({ iat: nowSeconds }))
  const sig = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url')
  return `${head}.${body}.${sig}`
}

/**
 * Checks an Engine API bearer token: HS256 over `secret`, `iat` within 60 s of now. Returns
 * the reason it is refused, or undefined when it is good.
 */
export function verifyJwt(
  token: string,
  secret: Uint8Array,
  nowSeconds = Math.floor(Date.now() / 1000),
): string | undefined {
  const parts = token.split('.')
  if (parts.length !== 3) return 'malformed token'
  const [head, body, sig] = parts as [string, string, string]
  let header: { alg?: unknown }
  let claims: { iat?: unknown }
  try {
    header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8'))
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'))
  } catch {
    return 'malformed token'
  }
  if (header.alg !== 'HS256') return 'unsupported algorithm'
  const want = createHmac('sha256', secret).update(`${head}.${body}`).digest()
  const got = Buffer.from(sig, 'base64url')
  if (got.length !== want.length || !timingSafeEqual(got, want)) return 'signature invalid'
  if (typeof claims.iat !== 'number') return 'missing issued-at'
  if (Math.abs(claims.iat - nowSeconds) > MAX_SKEW_SECONDS) return 'stale token'
  return undefined
}

/** A JWT secret from its hex file contents (`0x` optional, whitespace ignored). */
export function parseJwtSecret(text: string): Uint8Array {
  const hex = text.trim().replace(/^0x/, '')
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new Error('a JWT secret is 32 bytes of hex')
  return Uint8Array.from(Buffer.from(hex, 'hex'))
}
