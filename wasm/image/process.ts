import { AppError } from '../shared/errors'
import type { ConvertOptions, ImageResult, ProcessOptions, Progress, Rendition, Sniffed } from '../api'

/** Placeholder until the image pipeline lands. */
export async function processImage(
  _bytes: ArrayBuffer,
  _sniffed: Sniffed,
  _options: ProcessOptions,
  _onProgress?: (progress: Progress) => void,
): Promise<ImageResult> {
  throw new AppError('unsupported_type', 'image processing is not built yet')
}

export async function convertImage(_bytes: ArrayBuffer, _options: ConvertOptions): Promise<Rendition> {
  throw new AppError('unsupported_type', 'image conversion is not built yet')
}
