const encoder = new TextEncoder()

/** UTF-8 length of `text` without allocating its bytes. */
export function utf8Length(text: string): number {
  let bytes = 0
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i)
    if (unit < 0x80) bytes += 1
    else if (unit < 0x800) bytes += 2
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1)
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4
        i++
      } else bytes += 3
    } else bytes += 3
  }
  return bytes
}

/**
 * Cuts `text` to at most `maxBytes` of UTF-8 without splitting a character.
 *
 * @example
 * truncateUtf8('aé€', 4) // { text: 'aé', truncated: true }
 */
export function truncateUtf8(text: string, maxBytes: number): { text: string; truncated: boolean } {
  // Quick exit: UTF-8 never takes more than 3 bytes per UTF-16 unit.
  if (text.length * 3 <= maxBytes) return { text, truncated: false }
  // encodeInto writes whole characters only, so `read` ends on a boundary.
  const { read } = encoder.encodeInto(text, new Uint8Array(Math.max(0, Math.floor(maxBytes))))
  if (read === text.length) return { text, truncated: false }
  return { text: text.slice(0, read), truncated: true }
}
