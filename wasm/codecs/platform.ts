/**
 * Chromium's own image decoders and scaler, reached from inside the worker through
 * `createImageBitmap`, WebCodecs' `ImageDecoder` and `OffscreenCanvas`. They run in the
 * browser's sandboxed decoder, not in our WASM heap. They cover what the jSquash builds
 * cannot (GIF, the first frame of animated WebP and APNG, Adobe CMYK/YCCK JPEG), and do what
 * they do faster: JPEG decoded at a reduced DCT scale, and scaling of opaque pixels.
 */

import { AppError } from '../shared/errors'

export interface PlatformDecodeOptions {
  /** Decode straight to this upright size (Chromium may then decode at a reduced DCT scale). */
  resizeTo?: { width: number; height: number }
}

/**
 * Whether Chromium turns this type upright by itself. It applies EXIF orientation to JPEG
 * and PNG (`eXIf`) and HEIF-style `irot`/`imir` to AVIF even when asked not to
 * (`imageOrientation: 'none'` is ignored for them), and ignores a WebP `EXIF` chunk.
 */
export function platformOrients(type: string): boolean {
  return type === 'jpeg' || type === 'png' || type === 'avif'
}

/**
 * Decodes the first frame of an image to RGBA with the browser's decoders, upright where
 * `platformOrients` says so. Rejects when the browser cannot decode the bytes.
 */
export async function decodeWithPlatform(
  bytes: ArrayBuffer,
  mime: string,
  options: PlatformDecodeOptions = {},
): Promise<ImageData> {
  const blob = new Blob([bytes], { type: mime })
  const bitmap = await createImageBitmap(blob, {
    imageOrientation: 'from-image',
    premultiplyAlpha: 'none',
    colorSpaceConversion: 'default',
    ...(options.resizeTo && {
      resizeWidth: options.resizeTo.width,
      resizeHeight: options.resizeTo.height,
      resizeQuality: 'high',
    }),
  })
  try {
    return readPixels(bitmap)
  } finally {
    bitmap.close()
  }
}

/** libjpeg decodes at n/8 of the stored size, for n from 1 to 8. */
const DCT_EIGHTHS = 8

/**
 * Decodes a JPEG at the smallest DCT scale (n/8) that still covers `atLeast` in both axes,
 * with WebCodecs' `ImageDecoder`: the decoder skips most of the inverse DCT work, which
 * `createImageBitmap` never does (it decodes the full image, then scales). The pixels come
 * back as stored, not turned upright, and are opaque. Returns `undefined` where the browser
 * has no `ImageDecoder`, or when no reduced scale would cover `atLeast`. Rejects with
 * `corrupt` when the decoded frame is no DCT scale of `stored`: Chromium then read another
 * frame size than our header, against which the pixel limit was checked.
 *
 * @param stored the size the JPEG header declares
 * @param atLeast the smallest size, in stored axes, the caller will scale down from
 */
export async function decodeJpegScaled(
  bytes: ArrayBuffer,
  stored: { width: number; height: number },
  atLeast: { width: number; height: number },
): Promise<ImageData | undefined> {
  if (typeof ImageDecoder === 'undefined') return undefined
  const eighths = Math.max(
    Math.ceil((DCT_EIGHTHS * atLeast.width) / stored.width),
    Math.ceil((DCT_EIGHTHS * atLeast.height) / stored.height),
  )
  if (eighths >= DCT_EIGHTHS) return undefined
  // Chromium picks the largest scale that fits in the desired size, so ask for exactly this
  // scale's size (libjpeg rounds scaled sizes up).
  const decoder = new ImageDecoder({
    data: bytes,
    type: 'image/jpeg',
    desiredWidth: Math.ceil((stored.width * eighths) / DCT_EIGHTHS),
    desiredHeight: Math.ceil((stored.height * eighths) / DCT_EIGHTHS),
    colorSpaceConversion: 'default',
  })
  try {
    const { image: frame, complete } = await decoder.decode({ frameIndex: 0 })
    try {
      const { codedWidth: width, codedHeight: height } = frame
      if (!complete) return undefined
      if (!isDctScale(stored, { width, height })) {
        throw new AppError(
          'corrupt',
          `this JPEG file declares a ${stored.width}×${stored.height} image ` +
            `but its decoder reads a frame of another size`,
        )
      }
      if (width < atLeast.width || height < atLeast.height) return undefined
      // `copyTo` ignores the frame's rotation metadata: the pixels stay in stored axes.
      const data = new Uint8ClampedArray(width * height * 4)
      await frame.copyTo(data, { format: 'RGBA', colorSpace: 'srgb' })
      for (let i = 3; i < data.length; i += 4) data[i] = 255
      return new ImageData(data, width, height)
    } finally {
      frame.close()
    }
  } finally {
    decoder.close()
  }
}

/** Whether `scaled` is what libjpeg makes of `stored` at some n/8: each side rounded up. */
function isDctScale(
  stored: { width: number; height: number },
  scaled: { width: number; height: number },
): boolean {
  for (let n = 1; n <= DCT_EIGHTHS; n++) {
    const width = Math.ceil((stored.width * n) / DCT_EIGHTHS)
    const height = Math.ceil((stored.height * n) / DCT_EIGHTHS)
    if (width === scaled.width && height === scaled.height) return true
  }
  return false
}

/** Scales RGBA pixels with Chromium's high-quality scaler. */
export async function resizeWithPlatform(
  image: ImageData,
  size: { width: number; height: number },
): Promise<ImageData> {
  const bitmap = await createImageBitmap(image, {
    premultiplyAlpha: 'none',
    resizeWidth: size.width,
    resizeHeight: size.height,
    resizeQuality: 'high',
  })
  try {
    return readPixels(bitmap)
  } finally {
    bitmap.close()
  }
}

function readPixels(bitmap: ImageBitmap): ImageData {
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height)
  const context = canvas.getContext('2d', { willReadFrequently: true })
  if (!context) throw new Error('no 2D context in this worker')
  context.drawImage(bitmap, 0, 0)
  return context.getImageData(0, 0, bitmap.width, bitmap.height)
}
