import { describe, expect, it } from 'vitest'
import { refusal } from '../../wasm/shared/limits'
import type { Sniffed } from '../../wasm/api'

const limits = { maxBytes: 1000, maxPixels: 100 }
const png = (width?: number, height?: number): Sniffed => ({
  type: 'png',
  mime: 'image/png',
  kind: 'image',
  ...(width === undefined ? {} : { width, height }),
})
const unknown: Sniffed = { type: 'unknown', mime: 'application/octet-stream', kind: null }
const pdf: Sniffed = { type: 'pdf', mime: 'application/pdf', kind: 'pdf' }

describe('refusal', () => {
  it.each<[string, number, Sniffed, string | undefined]>([
    ['an empty file, whatever its type', 0, png(10, 10), 'empty_file'],
    ['unknown bytes, before their size', 5000, unknown, 'unsupported_type'],
    ['a file over the byte limit', 1001, pdf, 'too_large'],
    ['an image over the pixel limit', 10, png(11, 10), 'too_many_pixels'],
    ['an image at the pixel limit', 10, png(10, 10), undefined],
    ['an image whose size is not declared yet', 10, png(), undefined],
    ['a PDF within the byte limit', 1000, pdf, undefined],
  ])('answers %s', (_name, bytes, sniffed, code) => {
    expect(refusal(bytes, sniffed, limits)?.code).toBe(code)
  })

  it('names the sizes involved in words a person can read', () => {
    const page = { maxBytes: 200 * 1024 * 1024, maxPixels: 100e6 }
    expect(refusal(70_000, png(24000, 24000), page)?.message).toBe(
      'the image is 24000×24000 (576 megapixels), over the limit of 100 megapixels',
    )
    expect(refusal(3 * 1024 * 1024, pdf, { maxBytes: 1024 * 1024, maxPixels: 1 })?.message).toBe(
      'the file is 3 MiB, over the 1 MiB limit',
    )
  })
})
