import { AppError } from '../shared/errors'
import type { PdfResult, ProcessOptions, Progress, Rendition } from '../api'

/** Placeholder until the PDF pipeline lands. */
export async function processPdf(
  _bytes: ArrayBuffer,
  _options: ProcessOptions,
  _onProgress?: (progress: Progress) => void,
): Promise<PdfResult> {
  throw new AppError('unsupported_type', 'PDF processing is not built yet')
}

export async function renderPdfPage(
  _bytes: ArrayBuffer,
  _page: number,
  _longSide: number,
  _options: Pick<ProcessOptions, 'pdfAssetsUrl' | 'password' | 'maxBytes'>,
): Promise<Rendition> {
  throw new AppError('unsupported_type', 'PDF rendering is not built yet')
}
