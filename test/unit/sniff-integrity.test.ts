import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { checkIntegrity } from '../../wasm/image/integrity'
import { readImageHeader } from '../../wasm/shared/image-header'

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../fixtures/images/${name}`, import.meta.url)))

const check = (bytes: Uint8Array) => checkIntegrity(bytes, readImageHeader(bytes)!.type)

describe('checkIntegrity', () => {
  const files = [
    'jpeg-baseline-300x200.jpg',
    'jpeg-progressive-48x64.jpg',
    'jpeg-ycck-64x48.jpg',
    'png-rgb-300x200.png',
    'png-apng-40x30.png',
    'png-interlaced-64x48.png',
    'webp-lossy-300x200.webp',
    'webp-animated-48x32.webp',
    'gif-still-50x30.gif',
    'gif-animated-48x32.gif',
    'avif-64x48.avif',
    'heic-64x48.heic',
  ]

  it.each(files)('finds %s whole', (name) => {
    expect(check(fixture(name)).problem).toBeUndefined()
  })

  // An animated GIF with a whole first frame is accepted; that case has its own test.
  const cuttable = files.filter((name) => name !== 'gif-animated-48x32.gif')

  it.each(cuttable)('finds %s cut short at every length past its header', (name) => {
    const bytes = fixture(name)
    const last = bytes.length - 1
    for (let cut = 64; cut < last; cut += Math.max(1, Math.floor(bytes.length / 97))) {
      expect(check(bytes.subarray(0, cut)).problem, `${name} cut at ${cut}`).toMatch(/./)
    }
  })

  it('keeps a JPEG with bytes after its end marker', () => {
    const bytes = fixture('jpeg-baseline-300x200.jpg')
    const padded = new Uint8Array([...bytes, 0, 0, 0x0a])

    expect(check(padded).problem).toBeUndefined()
  })

  it('does not take an end marker inside EXIF for the end of the image', () => {
    const bytes = fixture('jpeg-orientation-6.jpg')
    const scan = bytes.findIndex((b, i) => b === 0xff && bytes[i + 1] === 0xda)
    const cut = bytes.subarray(0, scan + 20)

    expect(check(cut).problem).toMatch(/end marker/)
  })

  it.each([
    ['webp-animated-48x32.webp', 3],
    ['gif-animated-48x32.gif', 3],
    ['gif-still-50x30.gif', 1],
    ['png-apng-40x30.png', 2],
  ])('counts the frames of %s: %i', (name, frames) => {
    expect(check(fixture(name)).frames).toBe(frames)
  })

  it('accepts a GIF whose later frames are missing but counts only the whole ones', () => {
    const bytes = fixture('gif-animated-48x32.gif')
    const result = check(bytes.subarray(0, bytes.length - 20))

    expect(result.problem).toBeUndefined()
    expect(result.frames).toBeGreaterThanOrEqual(1)
    expect(result.frames).toBeLessThan(3)
  })
})
