import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { checkIntegrity } from '../../wasm/image/integrity'
import { itemDataEnd } from '../../wasm/shared/bmff'
import { readImageHeader } from '../../wasm/shared/image-header'
import { crc32 } from '../crc32'

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../fixtures/images/${name}`, import.meta.url)))

const check = (bytes: Uint8Array) => checkIntegrity(bytes, readImageHeader(bytes)!.type)

const u32 = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]
const u16 = (n: number) => [n >>> 8, n & 255]
const ascii = (text: string) => Array.from(text, (c) => c.charCodeAt(0))

/** An ISO-BMFF box around `body`. */
function box(type: string, ...body: number[][]): number[] {
  const payload = body.flat()
  return [...u32(8 + payload.length), ...ascii(type), ...payload]
}

/** A still AVIF with a 64×48 `ispe` as its only property, the given `iloc`, and `tail` after. */
function avif(iloc: number[], tail: number[] = []): Uint8Array {
  const ftyp = box('ftyp', ascii('avif'), u32(0), ascii('avifmif1'))
  const ispe = box('ispe', u32(0), u32(64), u32(48))
  const meta = box('meta', u32(0), box('iprp', box('ipco', ispe)), iloc)
  return new Uint8Array([...ftyp, ...meta, ...tail])
}

/** An `iloc` of `version` with all field sizes zero, claiming `count` items, then `body`. */
function emptyFieldIloc(version: 0 | 2, count: number, body: number[] = []): number[] {
  return box('iloc', [version, 0, 0, 0], u16(0), version === 2 ? u32(count) : u16(count), body)
}

describe('itemDataEnd', () => {
  it('refuses an item count the iloc box cannot hold, before walking the items', () => {
    const bytes = avif(emptyFieldIloc(2, 0xffffffff), box('mdat', new Array(4096).fill(0xff)))

    expect(itemDataEnd(bytes)?.problem).toMatch(/4294967295 items/)
    expect(check(bytes).problem).toMatch(/iloc/)
  })

  it('reads items from the iloc box only, never from the bytes after it', () => {
    // Version 0 with 4-byte offsets and lengths: an item takes 2 + 2 + 2 + 8 bytes. The box
    // holds one item and claims two; what follows it would read as a second item.
    const item = (offset: number) => [...u16(1), ...u16(0), ...u16(1), ...u32(offset), ...u32(4)]
    const iloc = box('iloc', [0, 0, 0, 0], u16(0x4400), u16(2), item(0))
    const bytes = avif(iloc, box('mdat', item(0), new Array(64).fill(0)))

    expect(itemDataEnd(bytes)).toEqual({ problem: 'the iloc box is damaged' })
  })

  it('refuses an extent count the iloc box cannot hold', () => {
    const item = [...u16(1), ...u16(0), ...u16(0xffff)]
    const iloc = box('iloc', [0, 0, 0, 0], u16(0x4400), u16(1), item)
    const bytes = avif(iloc, box('mdat', new Array(65535 * 8).fill(0)))

    expect(itemDataEnd(bytes)?.problem).toMatch(/65535 extents/)
  })

  it('takes zero-byte extents as starting at the base offset without walking them', () => {
    // Base offsets of 4 bytes; each item has 65535 extents of zero bytes each.
    const item = (base: number) => [...u16(1), ...u16(0), ...u32(base), ...u16(0xffff)]
    const iloc = box('iloc', [0, 0, 0, 0], u16(0x0040), u16(2), item(10), item(20))
    const bytes = avif(iloc)

    expect(itemDataEnd(bytes)).toEqual({ end: 20 })
  })

  it('finds the item data of the real fixtures whole', () => {
    for (const name of ['avif-64x48.avif', 'heic-64x48.heic', 'avif-irot-48x64.avif']) {
      const bytes = fixture(name)
      const items = itemDataEnd(bytes)

      expect(items?.problem, name).toBeUndefined()
      expect(items?.end, name).toBeLessThanOrEqual(bytes.length)
    }
  })
})

describe('readImageHeader on HEIF with absurd counts', () => {
  it('answers no size when ipma claims more entries than its box holds', () => {
    const ftyp = box('ftyp', ascii('avif'), u32(0), ascii('avifmif1'))
    const ispe = box('ispe', u32(0), u32(64), u32(48))
    const ipma = box('ipma', u32(0), u32(0xffffffff), u16(1), [1, 0x81])
    const pitm = box('pitm', u32(0), u16(1))
    const meta = box('meta', u32(0), pitm, box('iprp', box('ipco', ispe), ipma))
    const header = readImageHeader(new Uint8Array([...ftyp, ...meta]))

    expect(header).toMatchObject({ type: 'avif' })
    expect(header?.width).toBeUndefined()
  })

  it('reads ispe only within its own box', () => {
    // A cut-short ispe followed by bytes that would read as 64×48.
    const ftyp = box('ftyp', ascii('avif'), u32(0), ascii('avifmif1'))
    const ispe = box('ispe', u32(0))
    const free = box('free', u32(64), u32(48))
    const meta = box('meta', u32(0), box('iprp', box('ipco', ispe, free)))
    const header = readImageHeader(new Uint8Array([...ftyp, ...meta]))

    expect(header?.width).toBeUndefined()
  })
})

/** `bytes` with the first frame header's declared size set to `width`×`height`. */
function jpegDeclaring(bytes: Uint8Array, width: number, height: number, marker?: number) {
  const out = bytes.slice()
  const sof = out.findIndex((b, i) => b === 0xff && out[i + 1]! >= 0xc0 && out[i + 1]! <= 0xc2)
  if (marker !== undefined) out[sof + 1] = marker
  out.set([...u16(height), ...u16(width)], sof + 5)
  return out
}

/** `bytes` with IHDR's declared size set to `width`×`height` and its CRC made right. */
function pngDeclaring(bytes: Uint8Array, width: number, height: number) {
  const out = bytes.slice()
  out.set([...u32(width), ...u32(height)], 16)
  out.set(u32(crc32(out.subarray(12, 29))), 29)
  return out
}

describe('checkIntegrity: declared size against the data that holds it', () => {
  it.each([
    ['jpeg-baseline-300x200.jpg', 9990, 9990],
    ['jpeg-baseline-300x200.jpg', 3000, 2000],
    ['jpeg-progressive-48x64.jpg', 9990, 9990],
    ['jpeg-gray-120x80.jpg', 4000, 4000],
  ])('refuses %s declaring %i×%i', (name, width, height) => {
    const problem = check(jpegDeclaring(fixture(name), width, height)).problem

    expect(problem).toBe(`the file is too small to hold the ${width}×${height} image it declares`)
  })

  it('leaves arithmetic-coded frames alone, which have no such floor', () => {
    const bytes = jpegDeclaring(fixture('jpeg-baseline-300x200.jpg'), 9990, 9990, 0xc9)

    expect(check(bytes).problem).toBeUndefined()
  })

  it.each([
    'jpeg-baseline-300x200.jpg',
    'jpeg-progressive-48x64.jpg',
    'jpeg-gray-120x80.jpg',
    'jpeg-cmyk-64x48.jpg',
    'jpeg-large-1200x900.jpg',
    'png-rgb-300x200.png',
    'png-16bit-48x64.png',
    'png-gray8-64x32.png',
    'png-interlaced-64x48.png',
    'png-palette-trns-40x40.png',
  ])('accepts %s as it is', (name) => {
    expect(check(fixture(name)).problem).toBeUndefined()
  })

  it('refuses a PNG declaring more pixels than its IDAT could inflate to', () => {
    const problem = check(pngDeclaring(fixture('png-rgb-300x200.png'), 9990, 9990)).problem

    expect(problem).toBe('the file is too small to hold the 9990×9990 image it declares')
  })
})

describe('checkIntegrity: ispe against the AV1 sequence header', () => {
  /** `bytes` with the first `ispe` set to `width`×`height`. */
  function ispeSaying(bytes: Uint8Array, width: number, height: number) {
    const out = bytes.slice()
    const at = out.findIndex((_, i) => String.fromCharCode(...out.subarray(i, i + 4)) === 'ispe')
    out.set([...u32(width), ...u32(height)], at + 8)
    return out
  }

  it.each([
    ['avif-64x48.avif', 1, 1, '64×48'],
    ['avif-64x48.avif', 64, 47, '64×48'],
    ['avif-irot-48x64.avif', 64, 48, '48×64'],
  ])('refuses %s whose ispe says %i×%i', (name, width, height, coded) => {
    const problem = check(ispeSaying(fixture(name), width, height)).problem

    expect(problem).toBe(
      `the file declares a ${width}×${height} image but its AV1 data is ${coded}`,
    )
  })

  it.each(['avif-64x48.avif', 'avif-alpha-60x30.avif', 'avif-large-irot-900x1200.avif'])(
    'accepts %s, whose ispe agrees',
    (name) => {
      expect(check(fixture(name)).problem).toBeUndefined()
    },
  )
})
