import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { readImageHeader } from '../../wasm/shared/image-header'
import { sniff } from '../../wasm/shared/sniff'
import type { Sniffed } from '../../wasm/api'

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../fixtures/images/${name}`, import.meta.url)))
const CASES = fileURLToPath(new URL('../../../shared/cases/files/', import.meta.url))

describe('sniff', () => {
  describe('fixtures', () => {
    it.each<[string, Sniffed]>([
      ['jpeg-baseline-300x200.jpg', image('jpeg', 300, 200)],
      ['jpeg-progressive-48x64.jpg', image('jpeg', 48, 64)],
      ['jpeg-gray-120x80.jpg', image('jpeg', 120, 80)],
      ['jpeg-cmyk-64x48.jpg', image('jpeg', 64, 48)],
      ['jpeg-ycck-64x48.jpg', image('jpeg', 64, 48)],
      ['jpeg-orientation-6.jpg', image('jpeg', 48, 64)],
      ['png-rgb-300x200.png', image('png', 300, 200)],
      ['png-16bit-48x64.png', image('png', 48, 64)],
      ['png-apng-40x30.png', image('png', 40, 30)],
      ['png-gray8-64x32.png', image('png', 64, 32)],
      ['png-palette-trns-40x40.png', image('png', 40, 40)],
      ['webp-lossy-300x200.webp', image('webp', 300, 200)],
      ['webp-lossless-64x48.webp', image('webp', 64, 48)],
      ['webp-alpha-60x30.webp', image('webp', 60, 30)],
      ['webp-animated-48x32.webp', image('webp', 48, 32)],
      ['gif-still-50x30.gif', image('gif', 50, 30)],
      ['gif-animated-48x32.gif', image('gif', 48, 32)],
      ['avif-64x48.avif', image('avif', 64, 48)],
      ['heic-64x48.heic', image('heic', 64, 48)],
      ['bomb-png-24000x24000.png', image('png', 24000, 24000)],
      ['bomb-jpeg-30000x30000.jpg', image('jpeg', 30000, 30000)],
      ['not-an-image.jpg', unknown()],
    ])('reads %s', (name, expected) => {
      expect(sniff(fixture(name))).toEqual(expected)
    })
  })

  describe.skipIf(!existsSync(CASES))('shared cases', () => {
    const file = (name: string) => new Uint8Array(readFileSync(CASES + name))

    it.each<[string, Partial<Sniffed>]>([
      ['c01-exif-orientation-6.jpg', image('jpeg', 64, 48)],
      ['c02-cmyk-adobe.jpg', image('jpeg', 64, 64)],
      ['c03-grayscale-8bit.png', image('png', 64, 32)],
      ['c06-animated.webp', image('webp', 48, 32)],
      ['c07-bomb-24000x24000.png', image('png', 24000, 24000)],
      ['c08-not-an-image.jpg', unknown()],
      ['c08-empty.png', unknown()],
      ['c11-junk-prefix-broken-xref.pdf', { type: 'pdf', kind: 'pdf', mime: 'application/pdf' }],
      ['c09-encrypted-user-password.pdf', { type: 'pdf', kind: 'pdf' }],
    ])('reads %s', (name, expected) => {
      expect(sniff(file(name))).toMatchObject(expected)
    })

    it('reads orientation 6 from the EXIF of c01', () => {
      expect(readImageHeader(file('c01-exif-orientation-6.jpg'))?.orientation).toBe(6)
    })
  })

  describe('orientation', () => {
    it.each([1, 2, 3, 4, 5, 6, 7, 8])('reads EXIF orientation %i from JPEG APP1', (n) => {
      expect(readImageHeader(fixture(`jpeg-orientation-${n}.jpg`))?.orientation).toBe(n)
    })

    it('reads EXIF orientation from a WebP EXIF chunk', () => {
      const header = readImageHeader(fixture('webp-exif-orientation-6.webp'))
      expect(header).toMatchObject({ type: 'webp', width: 48, height: 64, orientation: 6 })
    })

    it('reads a little-endian EXIF block', () => {
      const tiff = [0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 8, 0]
      const jpeg = jpegWith(app1([...ascii('Exif\0\0'), ...tiff, 0, 0, 0, 0]))
      expect(readImageHeader(jpeg)?.orientation).toBe(8)
    })

    it('answers 1 for an out-of-range or damaged orientation', () => {
      const tiff = [0x4d, 0x4d, 0, 0x2a, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 9]
      expect(readImageHeader(jpegWith(app1([...ascii('Exif\0\0'), ...tiff])))?.orientation).toBe(1)
      const broken = [...ascii('Exif\0\0'), 0x4d, 0x4d, 0, 0x2a, 0xff, 0xff, 0xff, 0xff]
      expect(readImageHeader(jpegWith(app1(broken)))?.orientation).toBe(1)
    })

    it.each(['avif-irot-48x64.avif', 'heic-irot-48x64.heic'])('reads irot from %s', (name) => {
      expect(readImageHeader(fixture(name))).toMatchObject({
        width: 48,
        height: 64,
        orientation: 8,
      })
    })

    it('reads the primary item rotation of a HEIF as an EXIF orientation', () => {
      const heif = heifWith([box('irot', [1])])
      expect(readImageHeader(heif)).toMatchObject({ type: 'heic', width: 40, height: 30 })
      expect(readImageHeader(heif)?.orientation).toBe(8)
    })

    it.each([
      ['jpeg-baseline-300x200.jpg', false],
      ['webp-lossy-300x200.webp', false],
      ['webp-lossless-64x48.webp', false],
      ['webp-alpha-60x30.webp', true],
      ['png-rgba-60x30.png', undefined],
      ['avif-64x48.avif', false],
      ['avif-alpha-60x30.avif', true],
      ['heic-64x48.heic', false],
    ])('tells whether %s declares alpha: %s', (name, alpha) => {
      expect(readImageHeader(fixture(name))?.alpha).toBe(alpha)
    })

    it.each([
      ['jpeg-icc-swap-64x48.jpg', true],
      ['webp-icc-swap-64x48.webp', true],
      ['jpeg-baseline-300x200.jpg', undefined],
      ['webp-alpha-60x30.webp', false],
    ])('tells whether %s embeds an ICC profile: %s', (name, icc) => {
      expect(readImageHeader(fixture(name))?.icc).toBe(icc)
    })

    it('marks four-channel JPEG as CMYK', () => {
      expect(readImageHeader(fixture('jpeg-cmyk-64x48.jpg'))?.cmyk).toBe(true)
      expect(readImageHeader(fixture('jpeg-ycck-64x48.jpg'))?.cmyk).toBe(true)
      expect(readImageHeader(fixture('jpeg-baseline-300x200.jpg'))?.cmyk).toBeUndefined()
    })

    it('marks a PNG with acTL and a WebP with the animation flag as animated', () => {
      expect(readImageHeader(fixture('png-apng-40x30.png'))?.animated).toBe(true)
      expect(readImageHeader(fixture('webp-animated-48x32.webp'))?.animated).toBe(true)
      expect(readImageHeader(fixture('webp-alpha-60x30.webp'))?.animated).toBe(false)
    })
  })

  describe('PDF', () => {
    const junk = (bytes: number) => ascii(`${'X-Header: junk\r\n'.repeat(bytes / 16)}`)

    it('finds %PDF- at the start and on a line after up to a kilobyte of junk', () => {
      expect(sniff(ascii('%PDF-1.7\n')).type).toBe('pdf')
      expect(sniff(new Uint8Array([...junk(992), ...ascii('%PDF-1.4\n')])).type).toBe('pdf')
    })

    it('ignores %PDF- beyond the first kilobyte', () => {
      expect(sniff(new Uint8Array([...junk(1104), ...ascii('%PDF-1.4\n')])).type).toBe('unknown')
    })

    it.each([
      ['inside a line of text', 'notes about %PDF-1.4 files\n'],
      ['without a version digit', '%PDF-x\n'],
      ['in an SVG comment', '<svg xmlns="http://www.w3.org/2000/svg"><!--\n%PDF-1.4 --></svg>'],
      ['in HTML after a BOM and blank lines', '\ufeff\n\n<html>\n%PDF-1.7\n</html>'],
    ])('is not fooled by %PDF- %s', (_name, text) => {
      expect(sniff(new TextEncoder().encode(text)).type).toBe('unknown')
    })
  })

  describe('truncated and broken headers', () => {
    it.each([
      'jpeg-baseline-300x200.jpg',
      'png-rgb-300x200.png',
      'webp-lossy-300x200.webp',
      'webp-lossless-64x48.webp',
      'webp-alpha-60x30.webp',
      'gif-still-50x30.gif',
      'avif-64x48.avif',
      'heic-64x48.heic',
    ])('keeps the type of %s at every cut, with a size only once the header is whole', (name) => {
      const bytes = fixture(name)
      const full = sniff(bytes)
      for (let cut = 4; cut < Math.min(bytes.length, 1024); cut++) {
        const head = sniff(bytes.subarray(0, cut))
        if (head.type === 'unknown') continue // too short to recognise yet
        expect(head.type).toBe(full.type)
        if (head.width !== undefined)
          expect([head.width, head.height]).toEqual([full.width, full.height])
      }
      expect(sniff(bytes.subarray(0, Math.min(bytes.length, 1024))).width).toBe(full.width)
    })

    it.each([
      ['empty', new Uint8Array(0)],
      ['one byte', new Uint8Array([0xff])],
      ['a bare JPEG SOI', new Uint8Array([0xff, 0xd8, 0xff])],
      ['a JPEG segment with length 0', new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0, 0xff, 0xc0])],
      ['a PNG signature alone', ascii('\x89PNG\r\n\x1a\n')],
      ['RIFF WEBP with no chunk', ascii('RIFF\0\0\0\0WEBP')],
      ['an ftyp box with size 0', new Uint8Array([0, 0, 0, 0, ...ascii('ftypheic')])],
      ['an ftyp box claiming 4 GB', new Uint8Array([255, 255, 255, 255, ...ascii('ftypavif')])],
    ])('never throws on %s', (_, bytes) => {
      expect(() => sniff(bytes)).not.toThrow()
      expect(sniff(bytes).width).toBeUndefined()
    })

    it('never throws on random bytes behind each magic number', () => {
      const magics = [
        [0xff, 0xd8, 0xff],
        [...ascii('\x89PNG\r\n\x1a\n')],
        [...ascii('RIFF\0\0\0\0WEBPVP8X')],
        [...ascii('GIF89a')],
        [0, 0, 0, 24, ...ascii('ftypheic')],
        [0, 0, 0, 24, ...ascii('ftypavif')],
      ]
      let seed = 7
      const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff
      for (const magic of magics) {
        for (let round = 0; round < 200; round++) {
          const tail = Array.from({ length: round % 64 }, random)
          expect(() => sniff(new Uint8Array([...magic, ...tail]))).not.toThrow()
        }
      }
    })
  })
})

function image(type: Sniffed['type'], width: number, height: number): Sniffed {
  const mime = {
    jpeg: 'image/jpeg',
    png: 'image/png',
    webp: 'image/webp',
    gif: 'image/gif',
    avif: 'image/avif',
    heic: 'image/heic',
  }[type as string]!
  return { type, mime, kind: 'image', width, height }
}

function unknown(): Sniffed {
  return { type: 'unknown', mime: 'application/octet-stream', kind: null }
}

function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0))
}

function app1(body: ArrayLike<number>): number[] {
  const length = body.length + 2
  return [0xff, 0xe1, length >> 8, length & 0xff, ...Array.from(body)]
}

/** SOI, the given segments, then a SOF0 declaring 40×30. */
function jpegWith(segment: number[]): Uint8Array {
  return new Uint8Array([0xff, 0xd8, ...segment, 0xff, 0xc0, 0, 11, 8, 0, 30, 0, 40, 1, 1, 0x11, 0])
}

function box(type: string, payload: ArrayLike<number>): number[] {
  const size = 8 + payload.length
  return [
    size >>> 24,
    (size >> 16) & 255,
    (size >> 8) & 255,
    size & 255,
    ...ascii(type),
    ...Array.from(payload),
  ]
}

function u32(n: number): number[] {
  return [n >>> 24, (n >> 16) & 255, (n >> 8) & 255, n & 255]
}

/** A HEIF skeleton: ftyp, then meta with pitm = 1 and properties ispe 40×30 plus `extra`. */
function heifWith(extra: number[][]): Uint8Array {
  const ispe = box('ispe', [0, 0, 0, 0, ...u32(40), ...u32(30)])
  const ipco = box('ipco', [...ispe, ...extra.flat()])
  const indices = [1, ...extra.map((_, i) => i + 2)]
  const ipma = box('ipma', [0, 0, 0, 0, ...u32(1), 0, 1, indices.length, ...indices])
  const meta = box('meta', [
    0,
    0,
    0,
    0,
    ...box('pitm', [0, 0, 0, 0, 0, 1]),
    ...box('iprp', [...ipco, ...ipma]),
  ])
  return new Uint8Array([
    ...box('ftyp', [...ascii('heic'), 0, 0, 0, 0, ...ascii('mif1heic')]),
    ...meta,
  ])
}
