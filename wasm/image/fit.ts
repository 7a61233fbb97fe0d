import {
  decodeJpegScaled,
  decodeWithPlatform,
  platformOrients,
  resizeWithPlatform,
} from '../codecs/platform'
import { resizePixels } from '../codecs/resize'
import { AppError } from '../shared/errors'
import { fitLongSide, orientPixels, orientedSize, swapsAxes } from '../shared/image'
import { IMAGE_MIME } from '../shared/sniff'
import { decodeImage } from './decode'
import type { ImageHeader } from '../shared/image-header'
import type { Size } from '../shared/image'
import type { Stage } from '../api'

export interface Fitted {
  /** Upright pixels fitted into the requested long side (never upscaled). */
  pixels: ImageData
  /** The full upright size of the image. */
  upright: Size
}

/**
 * Decodes an image and returns it upright, fitted into `longSide`. Orientation is applied
 * after scaling (to the stored-axes size) so that a 90° turn moves the small image, not the
 * large one; the result is the same as turning first.
 *
 * Big opaque JPEG, WebP and AVIF files are decoded and scaled in one call by Chromium; anything
 * else, or a file Chromium will not take, is decoded by `decodeImage`.
 */
export async function decodeFitted(
  bytes: ArrayBuffer,
  header: ImageHeader,
  longSide: number,
  report: (stage: Stage, fraction: number) => void,
): Promise<Fitted> {
  report('decode', 0)
  const fast = await decodeScaledByPlatform(bytes, header, longSide)
  if (fast) {
    report('resize', 0.4)
    report('orient', 0.45)
    return fast
  }

  const { pixels: stored, orientation } = await decodeImage(bytes, header)
  const upright = orientedSize(stored, orientation)
  const target = fitLongSide(upright, longSide)
  const storedTarget = swapsAxes(orientation)
    ? { width: target.height, height: target.width }
    : target

  report('resize', 0.35)
  const scaled = await scale(stored, storedTarget)
  report('orient', 0.45)
  const pixels = orientPixels(scaled, orientation, (data, w, h) => new ImageData(data, w, h))
  return { pixels, upright }
}

/** Types whose big, opaque, still files Chromium decodes and scales for us. */
const PLATFORM_SCALED = new Set<ImageHeader['type']>(['jpeg', 'webp', 'avif'])

/**
 * Opaque JPEG, WebP and AVIF go through Chromium's decoder, which decodes and scales in one
 * call: several times faster than a full WASM decode plus a separate resize, because its
 * native decoders are quicker (dav1d is threaded) and JPEG can decode at a reduced DCT
 * scale (figures in the issue 7 note). Files with alpha stay on jSquash so that alpha is
 * never premultiplied and rounded by a canvas.
 */
async function decodeScaledByPlatform(
  bytes: ArrayBuffer,
  header: ImageHeader,
  longSide: number,
): Promise<Fitted | undefined> {
  const eligible = PLATFORM_SCALED.has(header.type) && header.alpha === false && !header.animated
  if (!eligible || header.width === undefined || header.height === undefined) return undefined
  const stored = { width: header.width, height: header.height }
  const upright = orientedSize(stored, header.orientation)
  const target = fitLongSide(upright, longSide)
  if (target.width === upright.width) return undefined

  if (header.type === 'jpeg') {
    const storedTarget = swapsAxes(header.orientation)
      ? { width: target.height, height: target.width }
      : target
    // A refusal (the frame is not the declared size) stands. A decoder failure skips
    // `createImageBitmap` too, which runs the same Chromium decoder: jSquash decides.
    const reduced = await decodeJpegScaled(bytes, stored, storedTarget).catch((error: unknown) => {
      if (error instanceof AppError) throw error
      return null
    })
    if (reduced === null) return undefined
    if (reduced) {
      const scaled = await scale(reduced, storedTarget)
      const pixels = orientPixels(scaled, header.orientation, (d, w, h) => new ImageData(d, w, h))
      return { pixels, upright }
    }
  }

  // Chromium orients JPEG and AVIF before scaling them; a WebP comes back as stored.
  const orientsItself = platformOrients(header.type)
  const remaining = orientsItself ? 1 : header.orientation
  const request = swapsAxes(remaining) ? { width: target.height, height: target.width } : target
  try {
    const scaled = await decodeWithPlatform(bytes, IMAGE_MIME[header.type], { resizeTo: request })
    const pixels = orientPixels(scaled, remaining, (data, w, h) => new ImageData(data, w, h))
    return { pixels, upright }
  } catch {
    return undefined // the general path decides whether the file is corrupt
  }
}

/**
 * Scales opaque pixels with Chromium's high-quality scaler, and pixels with alpha with Lanczos3
 * (a canvas would premultiply and round them). Chromium's scaler is several times faster: on
 * 1500×1125 → 1024×768, 15 ms against about 90 ms for Lanczos3 in WASM.
 */
export async function scale(image: ImageData, size: Size): Promise<ImageData> {
  if (size.width === image.width && size.height === image.height) return image
  if (isOpaque(image)) {
    // Chromium refuses bitmaps past its size limits (e.g. a 40000-px-wide panorama).
    const scaled = await resizeWithPlatform(image, size).catch(() => undefined)
    if (scaled) return scaled
  }
  return resizePixels(image, size)
}

function isOpaque(image: ImageData): boolean {
  const { data } = image
  for (let i = 3; i < data.length; i += 4) if (data[i] !== 255) return false
  return true
}
