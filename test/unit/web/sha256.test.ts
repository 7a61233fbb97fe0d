import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { Sha256 } from '../../../web/intake/sha256'

const reference = (data: Uint8Array) => createHash('sha256').update(data).digest('hex')

describe('Sha256', () => {
  it.each([0, 1, 55, 56, 63, 64, 65, 119, 120, 1000, 100_003])(
    'matches node:crypto for %i bytes',
    (length) => {
      const data = Uint8Array.from({ length }, (_, i) => (i * 31 + 7) & 0xff)

      expect(new Sha256().update(data).hex()).toBe(reference(data))
    },
  )

  it('gives the same digest whatever the chunk sizes', () => {
    const data = Uint8Array.from({ length: 5000 }, (_, i) => (i * 13) & 0xff)
    const hash = new Sha256()
    for (const [from, to] of [
      [0, 3],
      [3, 64],
      [64, 200],
      [200, 263],
      [263, 5000],
    ] as const) {
      hash.update(data.subarray(from, to))
    }

    expect(hash.hex()).toBe(reference(data))
  })
})
