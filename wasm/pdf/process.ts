import { AppError } from '../shared/errors'
import { sizeRefusal } from '../shared/limits'
import { renderPageToWebp } from './canvas'
import { openPdf, toAppError } from './open'
import { CappedText } from './text'
import type { PdfResult, ProcessOptions, Progress, Rendition, Stage } from '../api'
import type { OpenPdf } from './open'
import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist/types/src/display/api'

/** Share of the job's progress each step ends at; text extraction takes the rest. */
const OPENED = 0.05
const RENDERED = 0.15

/**
 * pdf.js keeps a proxy per visited page and caches fonts per document. Dropping them every
 * so many pages keeps a document of thousands of pages at the memory of a few hundred.
 */
const CLEANUP_EVERY_PAGES = 100

/**
 * Opens a PDF and returns its page count, metadata, page-1 size, a WebP thumbnail of page 1
 * and the text of every page (streamed page by page, capped at `options.textCap` bytes).
 *
 * @throws AppError `encrypted`, `wrong_password` or `corrupt`
 */
export async function processPdf(
  bytes: ArrayBuffer,
  options: ProcessOptions,
  onProgress?: (progress: Progress) => void,
): Promise<PdfResult> {
  const report = progressReporter(onProgress)
  report('open', 0)
  const pdf = await openPdf(bytes, options)

  try {
    const { doc } = pdf
    const metadata = await readMetadata(pdf)
    report('render', OPENED)

    const first = await doc.getPage(1)
    const natural = first.getViewport({ scale: 1 })
    const thumbnail = await renderPageToWebp(first, options.thumbSize)
    first.cleanup()
    report('text', RENDERED)

    const text = await extractText(doc, options.textCap, (done) => {
      report('text', RENDERED + ((1 - RENDERED) * done) / doc.numPages)
    })
    report('text', 1)
    return {
      kind: 'pdf',
      type: 'pdf',
      mime: 'application/pdf',
      pages: doc.numPages,
      ...metadata,
      pageWidth: natural.width,
      pageHeight: natural.height,
      thumbnail,
      text: text.text,
      textBytes: text.bytes,
      textTruncated: text.truncated,
      ...(text.unreadablePages > 0 && { unreadablePages: text.unreadablePages }),
    }
  } catch (error) {
    throw toAppError(error)
  } finally {
    await pdf.destroy()
  }
}

/**
 * Renders one page (1-based) to WebP with the given long side, opening the document afresh
 * so that no page stays in memory between calls.
 *
 * @throws RangeError when `page` is not a page of the document
 */
export async function renderPdfPage(
  bytes: ArrayBuffer,
  page: number,
  longSide: number,
  options: Pick<ProcessOptions, 'pdfAssetsUrl' | 'password' | 'maxBytes'>,
): Promise<Rendition> {
  const refused = sizeRefusal(bytes.byteLength, options.maxBytes)
  if (refused) throw new AppError(refused.code, refused.message)
  const pdf = await openPdf(bytes, options)

  try {
    const count = pdf.doc.numPages
    if (!Number.isInteger(page) || page < 1 || page > count) {
      throw new RangeError(`page must be an integer from 1 to ${count}, got ${page}`)
    }
    const proxy = await pdf.doc.getPage(page)
    try {
      return await renderPageToWebp(proxy, longSide)
    } finally {
      proxy.cleanup()
    }
  } catch (error) {
    throw error instanceof RangeError ? error : toAppError(error)
  } finally {
    await pdf.destroy()
  }
}

type Metadata = Pick<PdfResult, 'title' | 'author' | 'creationDate'>

/** Title, author and creation date from the Info dictionary, falling back to XMP. */
async function readMetadata({ pdfjs, doc }: OpenPdf): Promise<Metadata> {
  const { info, metadata } = await doc.getMetadata()
  const fields = (info ?? {}) as Record<string, unknown>
  const text = (value: unknown) =>
    typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined
  const title = text(fields.Title) ?? text(metadata?.get('dc:title'))
  const author = text(fields.Author) ?? text(metadata?.get('dc:creator'))
  const rawDate = text(fields.CreationDate)
  const date = rawDate ? pdfjs.PDFDateString.toDateObject(rawDate) : null
  const creationDate = date && !Number.isNaN(date.getTime()) ? date.toISOString() : undefined
  return {
    ...(title && { title }),
    ...(author && { author }),
    ...(creationDate && { creationDate }),
  }
}

interface ExtractedText {
  text: string
  bytes: number
  truncated: boolean
  unreadablePages: number
}

/**
 * Reads the text of each page in turn, releasing each page before the next, and stops at the
 * cap. A page pdf.js cannot parse contributes no text; the count of such pages is returned.
 */
async function extractText(
  doc: PDFDocumentProxy,
  cap: number,
  onPage: (done: number) => void,
): Promise<ExtractedText> {
  const collected = new CappedText(cap)
  let unreadablePages = 0

  for (let number = 1; number <= doc.numPages && !collected.full; number++) {
    let text = ''
    try {
      text = await pageText(await doc.getPage(number))
    } catch {
      unreadablePages++
    }
    collected.add(text)
    onPage(number)
    if (number % CLEANUP_EVERY_PAGES === 0) await doc.cleanup()
  }
  return { ...collected.result(), unreadablePages }
}

/** A page's text in content order, a line break where pdf.js marks the end of a line. */
async function pageText(page: PDFPageProxy): Promise<string> {
  try {
    const content = await page.getTextContent()
    let text = ''
    for (const item of content.items) {
      if (!('str' in item)) continue
      text += item.str
      if (item.hasEOL) text += '\n'
    }
    return text.trimEnd()
  } finally {
    page.cleanup()
  }
}

/** Sends progress at most once per stage and percent, and never lets a closed port throw. */
function progressReporter(onProgress?: (progress: Progress) => void) {
  let last = ''
  return (stage: Stage, fraction: number) => {
    if (!onProgress) return
    const percent = Math.floor(Math.min(1, Math.max(0, fraction)) * 100)
    const key = `${stage}:${percent}`
    if (key === last) return
    last = key
    try {
      void Promise.resolve(onProgress({ stage, fraction: percent / 100 })).catch(() => {})
    } catch {
      // The page may have released its callback already; progress is advisory.
    }
  }
}
