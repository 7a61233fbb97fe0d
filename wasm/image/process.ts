import * as Comlink from 'comlink'
import { encodeAvif } from '../codecs/avif'
import { encodeJpeg } from '../codecs/jpeg'
import { encodePng } from '../codecs/png'
import { encodeWebp } from '../codecs/webp'
import { AppError } from '../shared/errors'
import { fitLongSide } from '../shared/image'
import { readImageHeader } from '../shared/image-header'
import { pixelRefusal } from '../shared/limits'
import { IMAGE_MIME } from '../shared/sniff'
import { decodeFitted, scale } from './fit'
import { checkIntegrity } from './integrity'
import type { ImageHeader } from '../shared/image-header'
import type {
  ConvertOptions,
  ImageResult,
  ProcessOptions,
  Progress,
  Rendition,
  Sniffed,
  Stage,
} from '../api'

/** WebP quality of thumbnails and previews. */
export const RENDITION_QUALITY = 80

/**
 * libwebp effort. Thumbnails are small and get synced, so they take the default effort;
 * at 1024 px effort 2 encodes 2.5× faster than 4 for about 1% more bytes.
 */
const THUMBNAIL_METHOD = 4
const PREVIEW_METHOD = 2

/**
 * Decodes an image, turns it upright, and makes a WebP thumbnail and preview, each fitted
 * into its long side and never upscaled. The declared size is checked against `maxPixels`
 * before any decoder sees the bytes.
 *
 * @param bytes the whole file; the returned renditions' buffers are transferred back
 * @param _sniffed what `sniff` said; the header is read again from the whole file here
 */
export async function processImage(
  bytes: ArrayBuffer,
  _sniffed: Sniffed,
  options: ProcessOptions,
  onProgress?: (progress: Progress) => void,
): Promise<ImageResult> {
  const report = progressReporter(onProgress)
  const { header, frames } = inspect(bytes, options.maxPixels)

  const largest = Math.max(options.previewSize, options.thumbSize)
  const { pixels, upright } = await decodeFitted(bytes, header, largest, report)
  report('resize', 0.55)
  const preview = await scale(pixels, fitLongSide(upright, options.previewSize))
  const thumbSource = options.thumbSize <= options.previewSize ? preview : pixels
  const thumb = await scale(thumbSource, fitLongSide(upright, options.thumbSize))

  report('encode', 0.7)
  const thumbnail = await webpRendition(thumb, THUMBNAIL_METHOD)
  report('encode', 0.8)
  const previewRendition = await webpRendition(preview, PREVIEW_METHOD)
  report('encode', 1)

  const result: ImageResult = {
    kind: 'image',
    type: header.type,
    mime: IMAGE_MIME[header.type],
    width: upright.width,
    height: upright.height,
    thumbnail,
    preview: previewRendition,
  }
  if (frames !== undefined && frames > 1) Object.assign(result, { animated: true, frames })
  return Comlink.transfer(result, [thumbnail.bytes, previewRendition.bytes])
}

/**
 * Re-encodes an image for download as WebP, JPEG, PNG or AVIF, upright, optionally fitted
 * into `maxSide` (never upscaled). JPEG has no alpha, so transparent parts go onto white.
 */
export async function convertImage(
  bytes: ArrayBuffer,
  options: ConvertOptions,
): Promise<Rendition> {
  const { header } = inspect(bytes, options.maxPixels)
  const { pixels } = await decodeFitted(bytes, header, options.maxSide ?? Infinity, () => {})
  const quality = Math.min(100, Math.max(0, Math.round(options.quality)))

  let encoded: ArrayBuffer
  switch (options.format) {
    case 'webp':
      encoded = await encodeWebp(pixels, { quality })
      break
    case 'jpeg':
      encoded = await encodeJpeg(onWhite(pixels), quality)
      break
    case 'png':
      encoded = await encodePng(pixels)
      break
    case 'avif':
      encoded = await encodeAvif(pixels, quality)
      break
    default:
      throw new AppError('unsupported_type', `cannot convert to ${String(options.format)}`)
  }
  const rendition = {
    bytes: encoded,
    mime: `image/${options.format}`,
    width: pixels.width,
    height: pixels.height,
  }
  return Comlink.transfer(rendition, [encoded])
}

/**
 * Reads the header of the whole file and checks it before decoding: a known image type, a
 * declared size within `maxPixels`, and a container that is not cut short.
 */
function inspect(bytes: ArrayBuffer, maxPixels: number): { header: ImageHeader; frames?: number } {
  if (bytes.byteLength === 0) throw new AppError('empty_file', 'the file is empty')
  const view = new Uint8Array(bytes)
  const header = readImageHeader(view)
  if (!header) throw new AppError('unsupported_type', 'this file is not an image Quire can read')

  const { width, height } = header
  if (width === undefined || height === undefined) {
    throw new AppError('corrupt', 'the image header is damaged or cut short: no size is declared')
  }
  const tooMany = pixelRefusal(width, height, maxPixels)
  if (tooMany) throw new AppError(tooMany.code, tooMany.message)

  const { problem, frames } = checkIntegrity(view, header.type)
  if (problem) throw new AppError('corrupt', problem)
  return frames === undefined ? { header } : { header, frames }
}

/**
 * Flat-colour pictures (at most 256 colours: icons, scans of text, gray ramps, solid frames)
 * are stored lossless, so their colours come back exactly; everything else is lossy.
 */
async function webpRendition(pixels: ImageData, method: number): Promise<Rendition> {
  const lossless = countColours(pixels, PALETTE_LIMIT) <= PALETTE_LIMIT
  const bytes = await encodeWebp(pixels, { quality: RENDITION_QUALITY, lossless, method })
  return { bytes, mime: 'image/webp', width: pixels.width, height: pixels.height }
}

const PALETTE_LIMIT = 256

/** Distinct RGBA values in `image`, counting no further than `limit + 1`. */
export function countColours(image: ImageData, limit: number): number {
  const seen = new Set<number>()
  const pixels = new Uint32Array(
    image.data.buffer,
    image.data.byteOffset,
    image.width * image.height,
  )
  for (let i = 0; i < pixels.length; i++) {
    seen.add(pixels[i]!)
    if (seen.size > limit) break
  }
  return seen.size
}

/** Composites RGBA onto opaque white, for formats without alpha. */
function onWhite(image: ImageData): ImageData {
  const out = new Uint8ClampedArray(image.data)
  for (let i = 0; i < out.length; i += 4) {
    const alpha = out[i + 3]! / 255
    if (alpha === 1) continue
    for (let c = 0; c < 3; c++) out[i + c] = Math.round(out[i + c]! * alpha + 255 * (1 - alpha))
    out[i + 3] = 255
  }
  return new ImageData(out, image.width, image.height)
}

/** Sends progress without waiting for the page, and never lets a closed page fail the job. */
function progressReporter(onProgress?: (progress: Progress) => void) {
  return (stage: Stage, fraction: number) => {
    if (!onProgress) return
    Promise.resolve(onProgress({ stage, fraction })).catch(() => undefined)
  }
}
