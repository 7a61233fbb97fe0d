/**
 * Chromium's own image decoders and scaler, reached from inside the worker through
 * `createImageBitmap` and `OffscreenCanvas`. They run in the browser's sandboxed decoder,
 * not in our WASM heap, and cover what the jSquash builds cannot: GIF, the first frame of
 * animated WebP and APNG, and Adobe CMYK/YCCK JPEG.
 */

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
