import { describe, expect, it } from 'vitest'
import { truncateUtf8 } from '../../wasm/shared/utf8'

describe('truncateUtf8', () => {
  it('leaves text within the limit alone', () => {
    expect(truncateUtf8('héllo', 6)).toEqual({ text: 'héllo', truncated: false })
  })

  it('cuts on a character boundary, never inside one', () => {
    expect(truncateUtf8('aé€😀', 3)).toEqual({ text: 'aé', truncated: true })
    expect(truncateUtf8('aé€😀', 5)).toEqual({ text: 'aé', truncated: true })
    expect(truncateUtf8('aé€😀', 6)).toEqual({ text: 'aé€', truncated: true })
    expect(truncateUtf8('aé€😀', 9)).toEqual({ text: 'aé€', truncated: true })
  })

  it('keeps the result within the byte limit', () => {
    const { text } = truncateUtf8('€'.repeat(1000), 1000)
    expect(new TextEncoder().encode(text).length).toBeLessThanOrEqual(1000)
    expect(text).toBe('€'.repeat(333))
  })
})
