import { AppError } from '../shared/errors'
import { NoFilterFactory, OffscreenCanvasFactory } from './canvas'
import type { ProcessOptions } from '../api'
import type { DocumentInitParameters, PDFDocumentProxy } from 'pdfjs-dist/types/src/display/api'

type Pdfjs = typeof import('pdfjs-dist')

let pdfjsPromise: Promise<Pdfjs> | undefined

/**
 * Loads pdf.js and its worker half into this thread, once per worker.
 *
 * pdf.js normally starts a worker of its own. Running its worker code here instead (pdf.js calls
 * it a "fake worker") keeps one job in one thread: when the pool terminates our worker, parsing,
 * rendering and every pending fetch stop with it, and the built app needs no extra worker entry.
 * The 2 MB of pdf.js code loads only when the first PDF arrives, not in image-only workers.
 */
export function loadPdfjs(): Promise<Pdfjs> {
  pdfjsPromise ??= (async () => {
    const [pdfjs, worker] = await Promise.all([
      import('pdfjs-dist'),
      import('pdfjs-dist/build/pdf.worker.mjs'),
    ])
    ;(globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = worker
    return pdfjs
  })()
  pdfjsPromise.catch(() => (pdfjsPromise = undefined))
  return pdfjsPromise
}

/** An open document and the one call that releases everything pdf.js holds for it. */
export interface OpenPdf {
  pdfjs: Pdfjs
  doc: PDFDocumentProxy
  destroy(): Promise<void>
}

type OpenOptions = Pick<ProcessOptions, 'pdfAssetsUrl' | 'password'>

/**
 * Opens `bytes` with pdf.js configured for a worker with no DOM and no network beyond our
 * own origin. The buffer is handed to pdf.js and is detached afterwards.
 *
 * @throws AppError `encrypted`, `wrong_password` or `corrupt`
 */
export async function openPdf(bytes: ArrayBuffer, options: OpenOptions): Promise<OpenPdf> {
  const pdfjs = await loadPdfjs()
  const assets = assetsBase(options.pdfAssetsUrl)
  const params: DocumentInitParameters & { isEvalSupported: false } = {
    data: new Uint8Array(bytes),
    password: options.password,
    cMapUrl: new URL('cmaps/', assets).href,
    cMapPacked: true,
    standardFontDataUrl: new URL('standard_fonts/', assets).href,
    wasmUrl: new URL('wasm/', assets).href,
    iccUrl: new URL('iccs/', assets).href,
    // pdf.js 5 has no eval path left; the flag stays so that a pdf.js which reads it keeps it off.
    isEvalSupported: false,
    enableXfa: false,
    // Decide explicitly: pdf.js's default for this reads `document.baseURI`, absent in a worker.
    useWorkerFetch: true,
    // There is no document to load fonts into: glyphs are drawn as paths, and the 14 standard
    // fonts come from standardFontDataUrl rather than from system fonts the worker cannot see.
    disableFontFace: true,
    useSystemFonts: false,
    // In Chrome's page pdf.js skips ImageDecoder (it sees `chrome`); a worker hides that global,
    // so make the same choice here and keep pdf.js's own JPEG decoder.
    isImageDecoderSupported: false,
    CanvasFactory: OffscreenCanvasFactory,
    FilterFactory: NoFilterFactory,
  }
  // PDF JavaScript never runs: scripting needs pdf.js's viewer sandbox, which we never create.
  const task = pdfjs.getDocument(params)
  try {
    const doc = await task.promise
    return { pdfjs, doc, destroy: () => task.destroy() }
  } catch (error) {
    await task.destroy()
    throw toAppError(error)
  }
}

/** The assets folder as a URL ending in `/`, refused unless it is on this worker's origin. */
function assetsBase(pdfAssetsUrl: string): URL {
  const url = new URL(pdfAssetsUrl, self.location.href)
  if (url.origin !== self.location.origin) {
    throw new Error(`pdfAssetsUrl must be on ${self.location.origin}, got ${url.origin}`)
  }
  if (!url.pathname.endsWith('/')) url.pathname += '/'
  return url
}

/** pdf.js's password codes (`PasswordResponses`). */
const NEED_PASSWORD = 1
const INCORRECT_PASSWORD = 2

/**
 * Maps what pdf.js throws to our stable codes. Anything pdf.js could not open or read is
 * `corrupt`; the original error rides along as `cause` for the logs.
 */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error
  const { name, code } = (error ?? {}) as { name?: string; code?: unknown }
  if (name === 'PasswordException' && code === INCORRECT_PASSWORD) {
    return new AppError('wrong_password', 'the password for this PDF is not right', {
      cause: error,
    })
  }
  if (name === 'PasswordException' && code === NEED_PASSWORD) {
    return new AppError('encrypted', 'this PDF is protected by a password', { cause: error })
  }
  if (name === 'InvalidPDFException') {
    return new AppError('corrupt', 'this file is damaged or cut short: no PDF structure found', {
      cause: error,
    })
  }
  return new AppError('corrupt', 'this PDF is damaged and could not be read', { cause: error })
}
