import { decodeWithPlatform, resizeWithPlatform } from '../codecs/platform'
import { resizePixels } from '../codecs/resize'
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

/** Below this many source pixels per output pixel the Lanczos3 filter is cheap enough. */
const PLATFORM_SCALE_RATIO = 4

/**
 * Decodes an image and returns it upright, fitted into `longSide`. Orientation is applied
 * after scaling (to the stored-axes size) so that a 90° turn moves the small image, not the
 * large one; the result is the same as turning first.
 *
 * A JPEG that shrinks goes through Chromium's decoder in one call that decodes, orients and
 * scales, which is several times faster than a full MozJPEG decode plus a separate resize
 * (see the closing note of issue 7). Anything else, or a JPEG Chromium will not take, is
 * decoded by `decodeImage`.
 */
export async function decodeFitted(
  bytes: ArrayBuffer,
  header: ImageHeader,
  longSide: number,
  report: (stage: Stage, fraction: number) => void,
): Promise<Fitted> {
  report('decode', 0)
  const fast = await fastJpeg(bytes, header, longSide)
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

async function fastJpeg(
  bytes: ArrayBuffer,
  header: ImageHeader,
  longSide: number,
): Promise<Fitted | undefined> {
  if (header.type !== 'jpeg' || header.width === undefined || header.height === undefined) {
    return undefined
  }
  // Chromium orients a JPEG before scaling it, so ask for the upright target size.
  const upright = orientedSize({ width: header.width, height: header.height }, header.orientation)
  const target = fitLongSide(upright, longSide)
  if (target.width === upright.width) return undefined
  try {
    const pixels = await decodeWithPlatform(bytes, IMAGE_MIME.jpeg, { resizeTo: target })
    return { pixels, upright }
  } catch {
    return undefined // the general path decides whether the file is corrupt
  }
}

/** Scales with Lanczos3, or with Chromium's scaler for big reductions of opaque pixels. */
async function scale(image: ImageData, size: Size): Promise<ImageData> {
  const ratio = (image.width * image.height) / (size.width * size.height)
  if (ratio >= PLATFORM_SCALE_RATIO && isOpaque(image)) return resizeWithPlatform(image, size)
  return resizePixels(image, size)
}

function isOpaque(image: ImageData): boolean {
  const { data } = image
  for (let i = 3; i < data.length; i += 4) if (data[i] !== 255) return false
  return true
}
