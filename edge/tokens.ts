/**
 * Tenant tokens look like `qt_<tenant>_<tokenId>_<secret>`: the tenant id routes the request to
 * its Durable Object, the token id finds the stored hash there, and the 32-byte secret is what
 * makes the token unguessable. Only `sha256(token)` is ever stored.
 */
const TOKEN_PATTERN = /^qt_([a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?)_([0-9a-f]{12})_([\w-]{43})$/

export interface ParsedToken {
  tenant: string
  tokenId: string
}

/** Splits a tenant token into its tenant and token id, or `null` when it is not one. */
export function parseToken(token: string): ParsedToken | null {
  const match = TOKEN_PATTERN.exec(token)
  if (!match) return null
  return { tenant: match[1]!, tokenId: match[2]! }
}

/** A fresh token for `tenant`: its id, the token (shown once) and the hash to store. */
export async function issueToken(
  tenant: string,
): Promise<{ tokenId: string; token: string; hash: string }> {
  const tokenId = toHex(crypto.getRandomValues(new Uint8Array(6)))
  const secret = toBase64Url(crypto.getRandomValues(new Uint8Array(32)))
  const token = `qt_${tenant}_${tokenId}_${secret}`
  return { tokenId, token, hash: await sha256Hex(token) }
}

/** SHA-256 of a string's UTF-8 bytes, as lowercase hex. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
  return toHex(new Uint8Array(digest))
}

/** Compares two secrets in constant time by comparing their equal-length SHA-256 digests. */
export async function secretsEqual(a: string, b: string): Promise<boolean> {
  const [left, right] = await Promise.all([digest(a), digest(b)])
  return crypto.subtle.timingSafeEqual(left, right)
}

/** Compares two hex hashes of the same length in constant time. */
export function hashesEqual(a: string, b: string): boolean {
  const encoder = new TextEncoder()
  const left = encoder.encode(a)
  const right = encoder.encode(b)
  if (left.byteLength !== right.byteLength) return false
  return crypto.subtle.timingSafeEqual(left, right)
}

async function digest(text: string): Promise<ArrayBuffer> {
  return crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')
}

function toBase64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '')
}
