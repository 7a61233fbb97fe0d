import { afterAll, describe, expect, it } from 'vitest'
import { decodeJpeg } from '../../wasm/codecs/jpeg'
import { decodeJpegScaled } from '../../wasm/codecs/platform'
import { decodeFitted } from '../../wasm/image/fit'
import { AppError, registerErrorTransfer } from '../../wasm/shared/errors'
import { orientPixels } from '../../wasm/shared/image'
import { readImageHeader } from '../../wasm/shared/image-header'
import {
  BLUE,
  LIME,
  OPTIONS,
  RED,
  WHITE,
  fixture,
  near,
  pixelsOf,
  processFailure,
  rgbaAt,
  startWorker,
} from './image-harness'
import type { ImageResult } from '../../wasm/api'

// Crafted files from `test/fixtures/make-hostile-jpeg.mjs`, aimed at the reduced-scale JPEG
// path (`decodeJpegScaled` in wasm/codecs/platform.ts, called from wasm/image/fit.ts). The
// reference for a thumbnail is the file as Chromium shows it (full decode, its own EXIF
// reading), scaled to the thumbnail's size; where jSquash can decode the file too, the
// thumbnail must also match jSquash's full decode turned by the header's orientation.

registerErrorTransfer()
const { api, worker } = startWorker()
afterAll(() => worker.terminate())

const file = (name: string) => fixture(`hostile-${name}.jpg`)

async function thumbnailOf(bytes: ArrayBuffer): Promise<{ result: ImageResult; thumb: ImageData }> {
  const result = (await api.process(bytes.slice(0), OPTIONS)) as ImageResult
  return { result, thumb: await pixelsOf(result.thumbnail.bytes) }
}

const failure = (bytes: ArrayBuffer) => processFailure(api, bytes)

/** An error's code, or the size decoded (pixels are too big to print in a failed assertion). */
function outcome(decoding: Promise<ImageData | undefined>): Promise<string | undefined> {
  return decoding.then(
    (image) => `decoded ${image?.width}×${image?.height}`,
    (error: unknown) => (error instanceof AppError ? error.code : String(error)),
  )
}

/** Scales `image` to `width`×`height` with Chromium's scaler. */
async function scaled(image: ImageData, width: number, height: number): Promise<ImageData> {
  const bitmap = await createImageBitmap(image, {
    resizeWidth: width,
    resizeHeight: height,
    resizeQuality: 'high',
  })
  const canvas = new OffscreenCanvas(width, height)
  const context = canvas.getContext('2d', { willReadFrequently: true })!
  context.drawImage(bitmap, 0, 0)
  bitmap.close()
  return context.getImageData(0, 0, width, height)
}

/** The whole file as Chromium shows it (upright by its own EXIF reading). */
const chromiumView = (bytes: ArrayBuffer) => pixelsOf(bytes, 'image/jpeg')

/** jSquash's full decode, turned by the orientation our header reads. */
async function jsquashView(bytes: ArrayBuffer): Promise<ImageData> {
  const stored = await decodeJpeg(bytes.slice(0))
  const { orientation } = readImageHeader(new Uint8Array(bytes))!
  return orientPixels(stored, orientation, (data, w, h) => new ImageData(data, w, h))
}

/** Mean absolute difference per colour channel; Infinity when the sizes differ. */
function difference(a: ImageData, b: ImageData): number {
  if (a.width !== b.width || a.height !== b.height) return Infinity
  let sum = 0
  for (let i = 0; i < a.data.length; i += 4) {
    for (let c = 0; c < 3; c++) sum += Math.abs(a.data[i + c]! - b.data[i + c]!)
  }
  return sum / ((a.data.length / 4) * 3)
}

/** How far `thumb` is from `view` scaled to the thumbnail's size. */
async function distance(thumb: ImageData, view: ImageData): Promise<number> {
  return difference(thumb, await scaled(view, thumb.width, thumb.height))
}

/** A lossy WebP of flat quadrants stays within this mean difference of its source. */
const SAME = 4

/** The colours at the centres of the four quadrants. */
function quadrants(image: ImageData): number[][] {
  const at = (fx: number, fy: number) =>
    rgbaAt(image, Math.floor(fx * image.width), Math.floor(fy * image.height))
  return [at(0.25, 0.25), at(0.75, 0.25), at(0.25, 0.75), at(0.75, 0.75)]
}

/** Whether the quadrants read red, lime / blue, white: the picture is upright. */
function upright(image: ImageData): boolean {
  return quadrants(image).every((colour, i) => near(colour, [RED, LIME, BLUE, WHITE][i]!, 24))
}

/** Whether the quadrants read lime, white / red, blue: upright 6 shown as stored. */
function storedForSix(image: ImageData): boolean {
  return quadrants(image).every((colour, i) => near(colour, [LIME, WHITE, RED, BLUE][i]!, 24))
}

describe('crafted JPEG files on the reduced-scale decode path', () => {
  describe('EXIF orientation read as Chromium reads it', () => {
    it.each([
      'orient-2',
      'orient-3',
      'orient-4',
      'orient-5',
      'orient-7',
      'orient-8',
      'exif-two-tags-6-then-3',
      'exif-long-3-then-short-6',
      'exif-9-then-6',
      'exif-ifd-count-overflow-orient-6',
      'xmp-then-exif-orient-6',
      'exif-after-sof-orient-6',
    ])('turns %s upright, as Chromium shows it', async (name) => {
      const bytes = await file(name)
      const { result, thumb } = await thumbnailOf(bytes)

      expect([result.width, result.height]).toEqual([2048, 1536])
      expect([thumb.width, thumb.height]).toEqual([256, 192])
      expect(upright(thumb)).toBe(true)
      expect(await distance(thumb, await chromiumView(bytes))).toBeLessThan(SAME)
      expect(await distance(thumb, await jsquashView(bytes))).toBeLessThan(SAME)
    })

    it.each([
      'exif-long-orient-6',
      'exif-count-2-orient-6',
      'exif-sshort-orient-6',
      'exif-second-app1-orient-6',
      'exif-bad-first-then-orient-6',
      'exif-ifd-offset-0',
    ])('leaves %s as stored, as Chromium does', async (name) => {
      const bytes = await file(name)
      const { result, thumb } = await thumbnailOf(bytes)

      expect([result.width, result.height]).toEqual([1536, 2048])
      expect([thumb.width, thumb.height]).toEqual([192, 256])
      expect(storedForSix(thumb)).toBe(true)
      expect(await distance(thumb, await chromiumView(bytes))).toBeLessThan(SAME)
      expect(await distance(thumb, await jsquashView(bytes))).toBeLessThan(SAME)
    })

    it('keeps the aspect of a file Chromium scales itself when its EXIF entry is not a SHORT', async () => {
      // 864×1152 needs the full DCT scale, so Chromium's createImageBitmap decodes and scales it
      // to the size our header's orientation gives.
      const bytes = await file('exif-long-orient-6-864x1152')
      const { result, thumb } = await thumbnailOf(bytes)

      expect([result.width, result.height]).toEqual([864, 1152])
      expect([thumb.width, thumb.height]).toEqual([192, 256])
      expect(storedForSix(thumb)).toBe(true)
      expect(await distance(thumb, await chromiumView(bytes))).toBeLessThan(SAME)
    })

    it.each([
      'exif-orient-0',
      'exif-orient-9',
      'exif-orient-255',
      'xmp-orient-6',
      'exif-ifd-past-end',
    ])('shows %s upright, as stored', async (name) => {
      const bytes = await file(name)
      const { result, thumb } = await thumbnailOf(bytes)

      expect([result.width, result.height]).toEqual([2048, 1536])
      expect(upright(thumb)).toBe(true)
      expect(await distance(thumb, await chromiumView(bytes))).toBeLessThan(SAME)
    })
  })

  describe('frame headers', () => {
    it('reads the real frame, not the one in an EXIF thumbnail', async () => {
      const { result, thumb } = await thumbnailOf(await file('sof-in-exif-thumbnail'))

      expect([result.width, result.height]).toEqual([2048, 1536])
      expect(upright(thumb)).toBe(true)
    })

    it('reads the frame after bytes that libjpeg skips between segments', async () => {
      const bytes = await file('padding-before-sof')
      const { result, thumb } = await thumbnailOf(bytes)

      expect([result.width, result.height]).toEqual([2048, 1536])
      expect(upright(thumb)).toBe(true)
      expect(await distance(thumb, await jsquashView(bytes))).toBeLessThan(SAME)
    })

    it.each([
      'two-sof',
      'dnl-height-0',
      'precision-12',
      'sof3-relabelled',
      'bad-huffman',
      'scan-missing-component',
      'cut-half-eoi',
    ])('refuses %s as corrupt', async (name) => {
      expect((await failure(await file(name))).code).toBe('corrupt')
    })

    it.each(['declares-10000x9999', 'progressive-declares-10000x9999'])(
      'refuses %s, too small to hold the size it declares',
      async (name) => {
        const error = await failure(await file(name))

        expect(error.code).toBe('corrupt')
        expect(error.message).toContain('too small to hold the 10000×9999 image')
      },
    )

    it('refuses a declared size over the pixel limit before decoding', async () => {
      expect((await failure(await file('declares-10001x10000'))).code).toBe('too_many_pixels')
    })

    it('still works after the refusals', async () => {
      const { thumb } = await thumbnailOf(await file('orient-3'))
      expect(upright(thumb)).toBe(true)
    })
  })

  describe('a header that disagrees with the decoder about the size', () => {
    // No crafted file makes our header and libjpeg read different frames any more, so these
    // hand the decode path a header that lies, as a future parser difference would.
    it('refuses a reduced frame that is no DCT scale of the declared size', async () => {
      const bytes = await file('orient-3')

      const scaled = decodeJpegScaled(
        bytes,
        { width: 2048, height: 1600 },
        { width: 1024, height: 800 },
      )
      expect(await outcome(scaled)).toBe('corrupt')
    })

    it('refuses it before falling back to a decoder that would stretch the picture', async () => {
      const bytes = await file('sampling-444')
      const header = readImageHeader(new Uint8Array(bytes))!

      const fitted = decodeFitted(bytes, { ...header, height: 1600 }, 1024, () => {})
      expect(await outcome(fitted.then(({ pixels }) => pixels))).toBe('corrupt')
    })

    it('accepts every DCT scale of a declared odd size', async () => {
      const bytes = await file('odd-2049x2049')
      const stored = { width: 2049, height: 2049 }
      const scales = [257, 513, 769, 1025, 1281, 1537, 1793] // ceil(2049 × n / 8)

      for (const side of scales.map((s) => s - 8)) {
        const image = await decodeJpegScaled(bytes, stored, { width: side, height: side })
        expect(scales).toContain(image?.width)
        expect(image!.width).toBeGreaterThanOrEqual(side)
      }
    })
  })

  describe('sizes where the DCT scale rounds', () => {
    it.each([
      ['odd-1025x1025', 1025, 1025, 256, 256],
      ['odd-2049x2049', 2049, 2049, 256, 256],
      ['sampling-420-odd', 2049, 1537, 256, 192],
    ])('fits %s in the right size and place', async (name, width, height, tw, th) => {
      const bytes = await file(name)
      const { result, thumb } = await thumbnailOf(bytes)

      expect([result.width, result.height]).toEqual([width, height])
      expect([thumb.width, thumb.height]).toEqual([tw, th])
      expect(upright(thumb)).toBe(true)
      expect(await distance(thumb, await jsquashView(bytes))).toBeLessThan(SAME)
    })

    it.each([
      ['strip-1x20000', 1, 20000, 1, 256, RED],
      ['strip-8193x3', 8193, 3, 256, 1, LIME],
      ['odd-4095x3-orient-6', 4095, 3, 256, 1, BLUE],
    ])('fits the strip %s', async (name, width, height, tw, th, colour) => {
      const { result, thumb } = await thumbnailOf(await file(name))

      expect([result.width, result.height]).toEqual([width, height])
      expect([thumb.width, thumb.height]).toEqual([tw, th])
      expect(near(rgbaAt(thumb, tw >> 1, th >> 1), colour, 24)).toBe(true)
    })
  })

  describe('codings', () => {
    it.each([
      'progressive',
      'restart-every-mcu',
      'sampling-411',
      'sampling-440',
      'sampling-444',
      'adobe-transform-7',
    ])('decodes %s like a full decode', async (name) => {
      const bytes = await file(name)
      const { result, thumb } = await thumbnailOf(bytes)

      expect([result.width, result.height]).toEqual([2048, 1536])
      expect(upright(thumb)).toBe(true)
      expect(await distance(thumb, await jsquashView(bytes))).toBeLessThan(SAME)
      expect(await distance(thumb, await chromiumView(bytes))).toBeLessThan(SAME)
    })

    it.each(['gray', 'adobe-transform-0'])(
      'gives %s the colours of a full decode',
      async (name) => {
        // Gray keeps the quadrants' luma; Adobe transform 0 reads YCbCr samples as RGB, in
        // every libjpeg alike.
        const bytes = await file(name)
        const { thumb } = await thumbnailOf(bytes)

        expect(await distance(thumb, await jsquashView(bytes))).toBeLessThan(SAME)
        expect(await distance(thumb, await chromiumView(bytes))).toBeLessThan(SAME)
      },
    )

    it.each([
      ['ycck', 2048, 1536],
      ['ycck-orient-6', 2048, 1536],
    ])('shows the four-channel %s upright in its colours', async (name, width, height) => {
      const bytes = await file(name)
      const { result, thumb } = await thumbnailOf(bytes)

      expect([result.width, result.height]).toEqual([width, height])
      expect(upright(thumb)).toBe(true)
      expect(await distance(thumb, await chromiumView(bytes))).toBeLessThan(SAME)
    })

    it('takes an arithmetic-coded frame from Chromium, which jSquash cannot decode', async () => {
      // The data is Huffman-coded bytes under an SOF9 label: arithmetic decoding cannot tell
      // them from real data, so every decoder that has it shows what they decode to.
      const bytes = await file('sof9-relabelled')
      const { result, thumb } = await thumbnailOf(bytes)

      expect([result.width, result.height]).toEqual([2048, 1536])
      await expect(decodeJpeg(bytes.slice(0))).rejects.toBeDefined()
      expect(await distance(thumb, await chromiumView(bytes))).toBeLessThan(SAME)
    })
  })

  describe('a progressive file with more scans than Chromium takes', () => {
    it('is decoded by jSquash after Chromium refuses it', async () => {
      const bytes = await file('progressive-120-scans')
      const { result, thumb } = await thumbnailOf(bytes)

      expect([result.width, result.height]).toEqual([2048, 1536])
      await expect(chromiumView(bytes)).rejects.toBeDefined()
      expect(upright(thumb)).toBe(true)
      expect(await distance(thumb, await jsquashView(bytes))).toBeLessThan(SAME)
    })
  })

  describe('damage that no decoder reports', () => {
    it.each(['cut-three-quarters-eoi', 'progressive-dc-only-eoi'])(
      'shows %s as jSquash does',
      async (name) => {
        // Enough data is left to pass the size floor; libjpeg fills the missing part with
        // gray (or, for a progressive file, keeps the DC values) in every build.
        const bytes = await file(name)
        const { thumb } = await thumbnailOf(bytes)

        expect(await distance(thumb, await jsquashView(bytes))).toBeLessThan(SAME)
        expect(await distance(thumb, await chromiumView(bytes))).toBeLessThan(SAME)
      },
    )
  })
})
