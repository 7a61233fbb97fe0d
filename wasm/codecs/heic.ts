/** libheif (with libde265) through `libheif-js`, loaded on first use. */
import { AppError } from '../shared/errors'
import type { HeifDecoded, HeifError, HeifModule } from 'libheif-js/libheif-wasm/libheif-bundle.mjs'

let ready: Promise<HeifModule> | undefined

function load(): Promise<HeifModule> {
  ready ??= import('libheif-js/libheif-wasm/libheif-bundle.mjs').then(
    ({ default: factory }) =>
      new Promise<HeifModule>((resolve) => {
        const module = factory()
        // The wasm is embedded, but Emscripten still instantiates it asynchronously.
        if (module.calledRun) resolve(module)
        else module.onRuntimeInitialized = () => resolve(module)
      }),
  )
  return ready
}

function isError(value: unknown): value is HeifError {
  return !value || (typeof value === 'object' && 'code' in value)
}

/** libheif error codes for a file it recognises but cannot decode with this build. */
const UNSUPPORTED_CODES = new Set([3, 4]) // Unsupported_filetype, Unsupported_feature
const UNSUPPORTED_SUBCODES = new Set([3000, 6003]) // Unsupported_codec, No_matching_decoder

/** Turns a libheif error into an exception: `unsupported_type` for a codec we lack. */
function fail(error: HeifError | null | undefined, fallback: string): never {
  const value = (field: unknown) => (field as { value?: number } | undefined)?.value ?? -1
  const message = error?.message || fallback
  if (
    UNSUPPORTED_CODES.has(value(error?.code)) ||
    UNSUPPORTED_SUBCODES.has(value(error?.subcode))
  ) {
    throw new AppError(
      'unsupported_type',
      `this HEIF file uses a feature Quire cannot decode: ${message}`,
    )
  }
  throw new Error(message)
}

/**
 * Decodes the primary image of a HEIC/HEIF file to RGBA. libheif applies the file's `irot`,
 * `imir` and `clap` itself, so the result is already upright.
 */
export async function decodeHeic(bytes: ArrayBuffer): Promise<ImageData> {
  const heif = await load()
  const context = heif.heif_context_alloc()
  if (!context) throw new Error('libheif could not allocate a context')
  try {
    const read = heif.heif_context_read_from_memory(context, new Uint8Array(bytes))
    if (read.code !== heif.heif_error_code.heif_error_Ok)
      fail(read, 'libheif could not read the file')
    const handle = heif.heif_js_context_get_primary_image_handle(context)
    if (isError(handle)) fail(handle, 'the file has no primary image')
    try {
      return toImageData(heif, handle)
    } finally {
      heif.heif_image_handle_release(handle)
    }
  } finally {
    heif.heif_context_free(context)
  }
}

function toImageData(heif: HeifModule, handle: unknown): ImageData {
  const decoded = heif.heif_js_decode_image2(
    handle,
    heif.heif_colorspace.heif_colorspace_RGB,
    heif.heif_chroma.heif_chroma_interleaved_RGBA,
  )
  if (isError(decoded)) fail(decoded, 'libheif could not decode the image')
  const { channels, image } = decoded as HeifDecoded
  try {
    const plane = channels.find(
      (channel) => channel.id === heif.heif_channel.heif_channel_interleaved,
    )
    if (!plane) throw new Error('libheif returned no interleaved RGBA plane')
    const { width, height, stride } = plane
    const rgba = new Uint8ClampedArray(width * height * 4)
    for (let y = 0; y < height; y++) {
      rgba.set(plane.data.subarray(y * stride, y * stride + width * 4), y * width * 4)
    }
    return new ImageData(rgba, width, height)
  } finally {
    heif.heif_image_release(image)
  }
}
