import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { registerErrorTransfer } from '../../wasm/shared/errors'
import { crc32 } from '../crc32'
import {
  BLUE,
  LIME,
  OPTIONS,
  RED,
  WHITE,
  fixture,
  near,
  outsideFile,
  pixelsOf,
  processFailure,
  rgbaAt,
  startWorker,
} from './image-harness'
import type { ImageResult, Progress, ProcessResult } from '../../wasm/api'

registerErrorTransfer()

// The workspace's shared folder beside the repository; commands.readFile resolves from the root.
const CASES = '../shared/cases/files/'
const { api, worker } = startWorker()
afterAll(() => worker.terminate())

async function processFixture(name: string): Promise<ImageResult> {
  const result: ProcessResult = await api.process(await fixture(name), OPTIONS)
  expect(result.kind).toBe('image')
  return result as ImageResult
}

const failure = (bytes: ArrayBuffer, options = OPTIONS) => processFailure(api, bytes, options)

const u32 = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]
const ascii = (text: string) => Array.from(text, (c) => c.charCodeAt(0))

/** An ISO-BMFF box around `body`. */
function box(type: string, ...body: number[][]): number[] {
  const payload = body.flat()
  return [...u32(8 + payload.length), ...ascii(type), ...payload]
}

/** A JPEG or PNG whose frame header or IHDR (CRC made right) declares `width`×`height`. */
function declaring(bytes: Uint8Array<ArrayBuffer>, width: number, height: number) {
  const out = bytes.slice()
  if (out[0] === 0x89) {
    out.set([...u32(width), ...u32(height)], 16)
    out.set(u32(crc32(out.subarray(12, 29))), 29)
    return out
  }
  const sof = out.findIndex((b, i) => b === 0xff && (out[i + 1] === 0xc0 || out[i + 1] === 0xc2))
  out.set([height >> 8, height & 255, width >> 8, width & 255], sof + 5)
  return out
}

describe('processImage', () => {
  describe('formats and variants', () => {
    it.each([
      ['jpeg-baseline-300x200.jpg', 'jpeg', 300, 200, 256, 171],
      ['jpeg-progressive-48x64.jpg', 'jpeg', 48, 64, 48, 64],
      ['jpeg-gray-120x80.jpg', 'jpeg', 120, 80, 120, 80],
      ['jpeg-cmyk-64x48.jpg', 'jpeg', 64, 48, 64, 48],
      ['jpeg-ycck-64x48.jpg', 'jpeg', 64, 48, 64, 48],
      ['jpeg-large-1200x900.jpg', 'jpeg', 1200, 900, 256, 192],
      ['png-rgb-300x200.png', 'png', 300, 200, 256, 171],
      ['png-16bit-48x64.png', 'png', 48, 64, 48, 64],
      ['png-gray8-64x32.png', 'png', 64, 32, 64, 32],
      ['png-palette-trns-40x40.png', 'png', 40, 40, 40, 40],
      ['png-rgba-60x30.png', 'png', 60, 30, 60, 30],
      ['png-interlaced-64x48.png', 'png', 64, 48, 64, 48],
      ['png-apng-40x30.png', 'png', 40, 30, 40, 30],
      ['webp-lossy-300x200.webp', 'webp', 300, 200, 256, 171],
      ['webp-lossless-64x48.webp', 'webp', 64, 48, 64, 48],
      ['webp-alpha-60x30.webp', 'webp', 60, 30, 60, 30],
      ['webp-animated-48x32.webp', 'webp', 48, 32, 48, 32],
      ['gif-still-50x30.gif', 'gif', 50, 30, 50, 30],
      ['gif-animated-48x32.gif', 'gif', 48, 32, 48, 32],
      ['avif-64x48.avif', 'avif', 64, 48, 64, 48],
      ['heic-64x48.heic', 'heic', 64, 48, 64, 48],
    ])('decodes %s (%s) at %i×%i into a %i×%i WebP thumbnail', async (name, type, w, h, tw, th) => {
      const result = await processFixture(name)

      expect(result).toMatchObject({ type, width: w, height: h })
      expect(result.thumbnail).toMatchObject({ mime: 'image/webp', width: tw, height: th })
      const thumb = await pixelsOf(result.thumbnail.bytes)
      expect([thumb.width, thumb.height]).toEqual([tw, th])
      const preview = await pixelsOf(result.preview.bytes)
      expect([preview.width, preview.height]).toEqual([result.preview.width, result.preview.height])
    })

    it('makes a 1024 preview of a larger image and never upscales a smaller one', async () => {
      const large = await processFixture('jpeg-large-1200x900.jpg')
      const small = await processFixture('jpeg-baseline-300x200.jpg')

      expect([large.preview.width, large.preview.height]).toEqual([1024, 768])
      expect([small.preview.width, small.preview.height]).toEqual([300, 200])
    })

    it.each([
      'jpeg-baseline-300x200.jpg',
      'jpeg-progressive-48x64.jpg',
      'png-rgb-300x200.png',
      'png-16bit-48x64.png',
      'png-interlaced-64x48.png',
      'webp-lossy-300x200.webp',
      'webp-lossless-64x48.webp',
      'avif-64x48.avif',
      'heic-64x48.heic',
    ])('keeps the colours of the four quadrants of %s', async (name) => {
      const result = await processFixture(name)
      const thumb = await pixelsOf(result.thumbnail.bytes)
      const [w, h] = [thumb.width, thumb.height]
      const [x1, x2, y1, y2] = [
        Math.floor(w / 4),
        Math.floor((3 * w) / 4),
        Math.floor(h / 4),
        Math.floor((3 * h) / 4),
      ]

      expect(near(rgbaAt(thumb, x1, y1), RED, 24)).toBe(true)
      expect(near(rgbaAt(thumb, x2, y1), LIME, 24)).toBe(true)
      expect(near(rgbaAt(thumb, x1, y2), BLUE, 24)).toBe(true)
      expect(near(rgbaAt(thumb, x2, y2), WHITE, 24)).toBe(true)
    })

    it('reports animation frames of animated WebP, GIF and APNG', async () => {
      for (const [name, frames] of [
        ['webp-animated-48x32.webp', 3],
        ['gif-animated-48x32.gif', 3],
        ['png-apng-40x30.png', 2],
      ] as const) {
        expect(await processFixture(name)).toMatchObject({ animated: true, frames })
      }
      expect((await processFixture('gif-still-50x30.gif')).animated).toBeUndefined()
    })

    it('takes the first frame of an animation', async () => {
      for (const name of [
        'webp-animated-48x32.webp',
        'gif-animated-48x32.gif',
        'png-apng-40x30.png',
      ]) {
        const thumb = await pixelsOf((await processFixture(name)).thumbnail.bytes)
        expect(rgbaAt(thumb, 10, 10), name).toEqual([255, 0, 0, 255])
      }
    })
  })

  describe('orientation', () => {
    it.each([1, 2, 3, 4, 5, 6, 7, 8])('turns EXIF orientation %i upright', async (orientation) => {
      const result = await processFixture(`jpeg-orientation-${orientation}.jpg`)
      const thumb = await pixelsOf(result.thumbnail.bytes)

      expect([result.width, result.height]).toEqual([64, 48])
      expect([thumb.width, thumb.height]).toEqual([64, 48])
      expect(near(rgbaAt(thumb, 4, 4), RED, 24)).toBe(true)
      expect(near(rgbaAt(thumb, 59, 4), LIME, 24)).toBe(true)
      expect(near(rgbaAt(thumb, 4, 43), BLUE, 24)).toBe(true)
      expect(near(rgbaAt(thumb, 59, 43), WHITE, 24)).toBe(true)
    })

    it.each([
      ['jpeg-ycck-orientation-6.jpg', 'a YCCK JPEG (browser decoder)'],
      ['png-exif-orientation-6.png', 'a PNG with eXIf'],
      ['webp-exif-orientation-6.webp', 'a WebP with an EXIF chunk'],
      ['avif-irot-48x64.avif', 'an AVIF with irot'],
      ['heic-irot-48x64.heic', 'a HEIC with irot'],
    ])('turns %s upright: %s', async (name) => {
      const result = await processFixture(name)
      const thumb = await pixelsOf(result.thumbnail.bytes)

      expect([result.width, result.height, thumb.width, thumb.height]).toEqual([64, 48, 64, 48])
      expect(near(rgbaAt(thumb, 4, 4), RED, 24)).toBe(true)
      expect(near(rgbaAt(thumb, 59, 4), LIME, 24)).toBe(true)
      expect(near(rgbaAt(thumb, 4, 43), BLUE, 24)).toBe(true)
      expect(near(rgbaAt(thumb, 59, 43), WHITE, 24)).toBe(true)
    })

    it.each([
      'jpeg-large-orientation-6-900x1200.jpg',
      'webp-large-orientation-6-900x1200.webp',
      'avif-large-irot-900x1200.avif',
    ])('turns the large %s upright before fitting both renditions', async (name) => {
      const result = await processFixture(name)

      expect([result.width, result.height]).toEqual([1200, 900])
      for (const rendition of [result.thumbnail, result.preview]) {
        const image = await pixelsOf(rendition.bytes)
        const [w, h] = [image.width, image.height]
        expect([w, h]).toEqual([rendition.width, rendition.height])
        expect(near(rgbaAt(image, 8, 8), RED, 24)).toBe(true)
        expect(near(rgbaAt(image, w - 8, 8), LIME, 24)).toBe(true)
        expect(near(rgbaAt(image, 8, h - 8), BLUE, 24)).toBe(true)
        expect(near(rgbaAt(image, w - 8, h - 8), WHITE, 24)).toBe(true)
      }
      expect([result.thumbnail.width, result.thumbnail.height]).toEqual([256, 192])
      expect([result.preview.width, result.preview.height]).toEqual([1024, 768])
    })
  })

  describe('colour', () => {
    it('keeps alpha', async () => {
      for (const name of ['png-rgba-60x30.png', 'webp-alpha-60x30.webp', 'avif-alpha-60x30.avif']) {
        const thumb = await pixelsOf((await processFixture(name)).thumbnail.bytes)
        expect(near(rgbaAt(thumb, 10, 15), [255, 0, 0, 255], 8), name).toBe(true)
        const [r, g, b, a] = rgbaAt(thumb, 50, 15)
        expect(near([r!, g!, b!], BLUE, 24), name).toBe(true)
        expect(Math.abs(a! - 128), name).toBeLessThanOrEqual(8)
      }
      const palette = await pixelsOf(
        (await processFixture('png-palette-trns-40x40.png')).thumbnail.bytes,
      )
      expect(rgbaAt(palette, 5, 20)).toEqual([255, 0, 0, 255])
      expect(rgbaAt(palette, 35, 20)[3]).toBe(0)
    })

    it('keeps gray values exact', async () => {
      const thumb = await pixelsOf((await processFixture('png-gray8-64x32.png')).thumbnail.bytes)

      expect([8, 24, 40, 56].map((x) => rgbaAt(thumb, x, 16))).toEqual([
        [0, 0, 0, 255],
        [85, 85, 85, 255],
        [170, 170, 170, 255],
        [255, 255, 255, 255],
      ])
    })

    it.each([
      'jpeg-icc-swap-64x48.jpg',
      'jpeg-large-icc-swap-1200x900.jpg',
      'webp-icc-swap-64x48.webp',
    ])('converts the embedded ICC profile of %s to sRGB', async (name) => {
      const thumb = await pixelsOf((await processFixture(name)).thumbnail.bytes)
      const [w, h] = [thumb.width, thumb.height]

      // The profile swaps red and green, so the stored red quadrant shows lime.
      expect(near(rgbaAt(thumb, 4, 4), LIME, 24)).toBe(true)
      expect(near(rgbaAt(thumb, w - 5, 4), RED, 24)).toBe(true)
      expect(near(rgbaAt(thumb, 4, h - 5), BLUE, 24)).toBe(true)
    })

    it('decodes CMYK and YCCK JPEG with Adobe inversion', async () => {
      for (const name of ['jpeg-cmyk-64x48.jpg', 'jpeg-ycck-64x48.jpg']) {
        const thumb = await pixelsOf((await processFixture(name)).thumbnail.bytes)
        expect(near(rgbaAt(thumb, 8, 8), RED, 24), name).toBe(true)
        expect(near(rgbaAt(thumb, 56, 8), LIME, 24), name).toBe(true)
        expect(near(rgbaAt(thumb, 8, 40), BLUE, 24), name).toBe(true)
        expect(near(rgbaAt(thumb, 56, 40), WHITE, 24), name).toBe(true)
      }
    })
  })

  describe('limits and refusals', () => {
    it('refuses a decompression bomb from its header and stays usable', async () => {
      for (const name of ['bomb-png-24000x24000.png', 'bomb-jpeg-30000x30000.jpg']) {
        const error = await failure(await fixture(name))
        expect(error.code, name).toBe('too_many_pixels')
        expect(error.message).toMatch(/megapixels/)
      }
      expect((await processFixture('png-rgb-300x200.png')).width).toBe(300)
    })

    it('applies a configured pixel limit', async () => {
      const bytes = await fixture('jpeg-baseline-300x200.jpg')
      const error = await failure(bytes, { ...OPTIONS, maxPixels: 300 * 200 - 1 })

      expect(error.code).toBe('too_many_pixels')
    })

    it.each([
      'jpeg-baseline-300x200.jpg',
      'jpeg-progressive-48x64.jpg',
      'png-rgb-300x200.png',
      'png-apng-40x30.png',
      'webp-lossy-300x200.webp',
      'webp-lossless-64x48.webp',
      'webp-animated-48x32.webp',
      'gif-still-50x30.gif',
      'avif-64x48.avif',
      'heic-64x48.heic',
    ])('refuses %s cut short as corrupt', async (name) => {
      const bytes = await fixture(name)
      for (const keep of [0.5, 0.9]) {
        const cut = bytes.slice(0, Math.floor(bytes.byteLength * keep))
        const error = await failure(cut)
        expect(error.code, `${name} cut to ${keep}`).toBe('corrupt')
        expect(error.message.length).toBeGreaterThan(10)
      }
    })

    it('refuses a whole JPEG its decoders reject as corrupt and decodes the next one', async () => {
      const bytes = new Uint8Array(await fixture('jpeg-baseline-300x200.jpg'))
      const sof = bytes.findIndex((b, i) => b === 0xff && bytes[i + 1] === 0xc0)
      bytes[sof + 4] = 13 // a sample precision no decoder accepts

      expect((await failure(bytes.buffer)).code).toBe('corrupt')
      expect((await processFixture('jpeg-progressive-48x64.jpg')).width).toBe(48)
    })

    it('refuses bytes that are no image as unsupported, whatever the name', async () => {
      const error = await failure(await fixture('not-an-image.jpg'))

      expect(error.code).toBe('unsupported_type')
    })

    it('goes by the magic bytes, not the name: a PNG named .jpg is a PNG', async () => {
      const file = new File([await fixture('png-rgb-300x200.png')], 'photo.jpg', {
        type: 'image/jpeg',
      })
      const result = (await api.process(await file.arrayBuffer(), OPTIONS)) as ImageResult

      expect(result).toMatchObject({ type: 'png', mime: 'image/png', width: 300 })
    })

    it('refuses a HEIF whose codec the HEIC decoder lacks (AV1 without the avif brand)', async () => {
      const bytes = new Uint8Array(await fixture('avif-64x48.avif'))
      const ftypEnd = new DataView(bytes.buffer).getUint32(0)
      for (let at = 8; at + 4 <= ftypEnd; at += 4) {
        if (String.fromCharCode(...bytes.subarray(at, at + 4)) === 'avif')
          bytes.set([0x6d, 0x69, 0x66, 0x31], at)
      }
      const error = await failure(bytes.buffer)

      expect(error.code).toBe('unsupported_type')
    })

    it('refuses an AVIF whose iloc claims more items than it holds, at once', async () => {
      // The shape of a CPU bomb: 2^32 - 1 items of zero-byte fields, then 256 KiB of 0xFF.
      const ftyp = box('ftyp', ascii('avif'), u32(0), ascii('avifmif1'))
      const ispe = box('ispe', u32(0), u32(64), u32(48))
      const iloc = box('iloc', [2, 0, 0, 0], [0, 0], u32(0xffffffff))
      const meta = box('meta', u32(0), box('iprp', box('ipco', ispe)), iloc)
      const mdat = box('mdat', new Array(256 * 1024).fill(0xff))
      const error = await failure(new Uint8Array([...ftyp, ...meta, ...mdat]).buffer)

      expect(error.code).toBe('corrupt')
      expect(error.message).toMatch(/iloc/)
      expect((await processFixture('avif-64x48.avif')).width).toBe(64)
    })

    it.each([
      ['jpeg-baseline-300x200.jpg', 9990, 9990],
      ['jpeg-progressive-48x64.jpg', 4000, 3000],
      ['png-rgb-300x200.png', 9990, 9990],
    ])('refuses %s declaring %i×%i, more than its data can hold', async (name, w, h) => {
      const bytes = declaring(new Uint8Array(await fixture(name)), w, h)
      const error = await failure(bytes.buffer)

      expect(error.code).toBe('corrupt')
      expect(error.message).toBe(`the file is too small to hold the ${w}×${h} image it declares`)
    })

    it.each([
      ['avif-64x48.avif', 1, 1],
      ['avif-64x48.avif', 32, 24],
      ['avif-irot-48x64.avif', 64, 48],
      ['heic-64x48.heic', 1, 1],
      ['heic-irot-48x64.heic', 64, 48],
    ])('refuses %s whose ispe says %i×%i, not what it holds', async (name, w, h) => {
      const bytes = new Uint8Array(await fixture(name))
      const at = bytes.findIndex(
        (_, i) => String.fromCharCode(...bytes.subarray(i, i + 4)) === 'ispe',
      )
      bytes.set([...u32(w), ...u32(h)], at + 8)
      const error = await failure(bytes.buffer)

      expect(error.code).toBe('corrupt')
    })

    it('refuses an empty file', async () => {
      expect((await failure(new ArrayBuffer(0))).code).toBe('empty_file')
    })
  })

  describe('progress', () => {
    it('reports decode, orient, resize and encode with a rising fraction', async () => {
      const seen: Progress[] = []
      const { proxy } = await import('comlink')
      await api.process(
        await fixture('jpeg-orientation-6.jpg'),
        OPTIONS,
        proxy((p: Progress) => void seen.push(p)),
      )
      await new Promise((resolve) => setTimeout(resolve, 50))
      const stages = seen.map((p) => p.stage)

      expect(new Set(stages)).toEqual(new Set(['decode', 'orient', 'resize', 'encode']))
      expect(stages[0]).toBe('decode')
      expect(stages.at(-1)).toBe('encode')
      expect(seen.at(-1)?.fraction).toBe(1)
      const fractions = seen.map((p) => p.fraction)
      expect(fractions).toEqual([...fractions].sort((a, b) => a - b))
    })
  })
})

describe('shared cases', () => {
  const cases = new Map<string, ArrayBuffer | undefined>()
  beforeAll(async () => {
    for (const name of [
      'c01-exif-orientation-6.jpg',
      'c02-cmyk-adobe.jpg',
      'c03-grayscale-8bit.png',
      'c06-animated.webp',
      'c07-bomb-24000x24000.png',
      'c08-not-an-image.jpg',
      'c08-empty.png',
    ]) {
      cases.set(name, await outsideFile(CASES + name))
    }
  })
  const get = (name: string, skip: (note: string) => void) => {
    const bytes = cases.get(name)
    if (!bytes) skip(`${name} is not present`)
    return bytes!.slice(0)
  }

  it('c01: turns an EXIF 6 photo upright', async ({ skip }) => {
    const result = (await api.process(
      get('c01-exif-orientation-6.jpg', skip),
      OPTIONS,
    )) as ImageResult
    const thumb = await pixelsOf(result.thumbnail.bytes)

    expect([result.width, result.height, thumb.width, thumb.height]).toEqual([48, 64, 48, 64])
    expect(near(rgbaAt(thumb, 4, 4), BLUE, 24)).toBe(true)
    expect(near(rgbaAt(thumb, 43, 4), RED, 24)).toBe(true)
    expect(near(rgbaAt(thumb, 24, 60), WHITE, 24)).toBe(true)
  })

  it('c02: decodes Adobe YCCK with the right colours', async ({ skip }) => {
    const result = (await api.process(get('c02-cmyk-adobe.jpg', skip), OPTIONS)) as ImageResult
    const thumb = await pixelsOf(result.thumbnail.bytes)

    expect([thumb.width, thumb.height]).toEqual([64, 64])
    expect(near(rgbaAt(thumb, 16, 16), RED, 24)).toBe(true)
    expect(near(rgbaAt(thumb, 48, 16), LIME, 24)).toBe(true)
    expect(near(rgbaAt(thumb, 16, 48), BLUE, 24)).toBe(true)
    expect(near(rgbaAt(thumb, 48, 48), WHITE, 24)).toBe(true)
  })

  it('c03: keeps 8-bit gray exact', async ({ skip }) => {
    const result = (await api.process(get('c03-grayscale-8bit.png', skip), OPTIONS)) as ImageResult
    const thumb = await pixelsOf(result.thumbnail.bytes)

    expect([thumb.width, thumb.height]).toEqual([64, 32])
    expect([8, 24, 40, 56].map((x) => rgbaAt(thumb, x, 16))).toEqual([
      [0, 0, 0, 255],
      [85, 85, 85, 255],
      [170, 170, 170, 255],
      [255, 255, 255, 255],
    ])
  })

  it('c06: takes the first frame of an animated WebP', async ({ skip }) => {
    const result = (await api.process(get('c06-animated.webp', skip), OPTIONS)) as ImageResult
    const thumb = await pixelsOf(result.thumbnail.bytes)

    expect([thumb.width, thumb.height]).toEqual([48, 32])
    expect(result).toMatchObject({ animated: true, frames: 3 })
    for (const [x, y] of [
      [0, 0],
      [47, 0],
      [24, 16],
      [0, 31],
      [47, 31],
    ] as const) {
      expect(rgbaAt(thumb, x, y)).toEqual([255, 0, 0, 255])
    }
  })

  it('c07: refuses the bomb before decoding and serves the next file', async ({ skip }) => {
    const error = await failure(get('c07-bomb-24000x24000.png', skip))

    expect(error.code).toBe('too_many_pixels')
    expect(error.message).toContain('24000×24000')
    expect((await processFixture('jpeg-baseline-300x200.jpg')).width).toBe(300)
  })

  it('c08: refuses a non-image named .jpg and an empty upload', async ({ skip }) => {
    expect((await failure(get('c08-not-an-image.jpg', skip))).code).toBe('unsupported_type')
    expect((await failure(get('c08-empty.png', skip))).code).toBe('empty_file')
  })
})

describe('shared corpus', () => {
  const CORPUS = '../shared/corpus/'

  it.for([
    ['Elephants_5640x3172.jpg', 5640, 3172, [256, 144], [1024, 576]],
    ['FreshFlower.jpg', 1600, 1203, [256, 192], [1024, 770]],
    ['LadyBird.jpg', 2560, 1600, [256, 160], [1024, 640]],
    ['Storm.jpg', 1920, 1280, [256, 171], [1024, 683]],
    ['Wood.jpg', 2560, 1920, [256, 192], [1024, 768]],
    ['Spring.png', 1600, 1200, [256, 192], [1024, 768]],
    ['Stripes.png', 1920, 1200, [256, 160], [1024, 640]],
    ['Ubuntu-Mate-Cold-no-logo.png', 1920, 1280, [256, 171], [1024, 683]],
    ['adwaita-l.webp', 4096, 4096, [256, 256], [1024, 1024]],
    ['wood-d.webp', 4096, 4096, [256, 256], [1024, 1024]],
    ['vnc-l.webp', 256, 256, [256, 256], [256, 256]],
  ])(
    'makes %s (%i×%i) upright renditions of the right size',
    async ([name, w, h, thumb, preview], { skip }) => {
      const bytes = await outsideFile(`${CORPUS}${name}`)
      if (!bytes) skip(`${name} is not present`)

      const result = (await api.process(bytes!, OPTIONS)) as ImageResult
      const thumbnail = await pixelsOf(result.thumbnail.bytes)
      const previewPixels = await pixelsOf(result.preview.bytes)

      expect([result.width, result.height]).toEqual([w, h])
      expect([thumbnail.width, thumbnail.height]).toEqual(thumb)
      expect([previewPixels.width, previewPixels.height]).toEqual(preview)
    },
  )
})
