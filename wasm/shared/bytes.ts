/** Small readers over untrusted bytes: each returns `undefined` past the end, never throws. */

export function u8(bytes: Uint8Array, at: number): number | undefined {
  return at >= 0 && at < bytes.length ? bytes[at] : undefined
}

export function u16be(bytes: Uint8Array, at: number): number | undefined {
  if (at < 0 || at + 2 > bytes.length) return undefined
  return (bytes[at]! << 8) | bytes[at + 1]!
}

export function u16le(bytes: Uint8Array, at: number): number | undefined {
  if (at < 0 || at + 2 > bytes.length) return undefined
  return bytes[at]! | (bytes[at + 1]! << 8)
}

export function u24le(bytes: Uint8Array, at: number): number | undefined {
  if (at < 0 || at + 3 > bytes.length) return undefined
  return bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16)
}

export function u32be(bytes: Uint8Array, at: number): number | undefined {
  if (at < 0 || at + 4 > bytes.length) return undefined
  return (
    ((bytes[at]! << 24) >>> 0) + ((bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!)
  )
}

export function u32le(bytes: Uint8Array, at: number): number | undefined {
  if (at < 0 || at + 4 > bytes.length) return undefined
  return (
    ((bytes[at + 3]! << 24) >>> 0) + ((bytes[at + 2]! << 16) | (bytes[at + 1]! << 8) | bytes[at]!)
  )
}

/** Four bytes as Latin-1 text, e.g. a chunk or box name; '' past the end. */
export function fourcc(bytes: Uint8Array, at: number): string {
  if (at < 0 || at + 4 > bytes.length) return ''
  return String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!)
}

/** Whether `bytes` holds `text` (Latin-1) at `at`. */
export function startsWith(bytes: Uint8Array, text: string, at = 0): boolean {
  if (at + text.length > bytes.length) return false
  for (let i = 0; i < text.length; i++) if (bytes[at + i] !== text.charCodeAt(i)) return false
  return true
}

/** First offset of `text` (Latin-1) in `bytes[from, to)`, or -1. */
export function indexOf(bytes: Uint8Array, text: string, from = 0, to = bytes.length): number {
  const first = text.charCodeAt(0)
  const last = Math.min(to, bytes.length) - text.length
  for (let i = Math.max(0, from); i <= last; i++) {
    if (bytes[i] === first && startsWith(bytes, text, i)) return i
  }
  return -1
}
