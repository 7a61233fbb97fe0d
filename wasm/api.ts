/**
 * The worker tier's public surface. `web/` imports this file as types only; `wasm/worker.ts`
 * exposes an object of type `WorkerApi` through Comlink.
 */

/** A kind of file Quire can recognise from its first bytes. */
export type SniffedType = 'jpeg' | 'png' | 'webp' | 'gif' | 'avif' | 'heic' | 'pdf' | 'unknown'

/** What the first bytes of a file say, before any decode. */
export interface Sniffed {
  type: SniffedType
  /** The MIME type of `type`, or `application/octet-stream` when unknown. */
  mime: string
  kind: 'image' | 'pdf' | null
  /** Declared dimensions from the header, as stored (before EXIF orientation). */
  width?: number
  height?: number
}

/** The named steps a job moves through, reported with progress. */
export type Stage = 'decode' | 'orient' | 'resize' | 'encode' | 'open' | 'render' | 'text'

export interface Progress {
  stage: Stage
  /** 0…1 within the whole job. */
  fraction: number
}

export interface ProcessOptions {
  /** Long side of the thumbnail in pixels (256). */
  thumbSize: number
  /** Long side of the preview in pixels (1024), never upscaled. */
  previewSize: number
  /** Pixel limit checked against the declared size before decoding (100 000 000). */
  maxPixels: number
  /** Byte limit for one input (checked at intake and again in the worker). */
  maxBytes: number
  /** Cap on extracted PDF text, in UTF-8 bytes (2 MB). */
  textCap: number
  /** Absolute URL of the folder holding pdf.js assets (`cmaps/`, `standard_fonts/`, `wasm/`). */
  pdfAssetsUrl: string
  /** Password for an encrypted PDF. */
  password?: string
}

/** An encoded image: WebP unless said otherwise. */
export interface Rendition {
  bytes: ArrayBuffer
  mime: string
  width: number
  height: number
}

export interface ImageResult {
  kind: 'image'
  type: SniffedType
  mime: string
  /** Upright size, after EXIF orientation. */
  width: number
  height: number
  thumbnail: Rendition
  preview: Rendition
  animated?: boolean
  frames?: number
}

export interface PdfResult {
  kind: 'pdf'
  type: 'pdf'
  mime: 'application/pdf'
  pages: number
  title?: string
  author?: string
  /** ISO 8601, from the document's CreationDate when present. */
  creationDate?: string
  /** Page 1 size in PDF points. */
  pageWidth: number
  pageHeight: number
  thumbnail: Rendition
  /** Text of every page in reading order, pages separated by a form feed, capped. */
  text: string
  /** UTF-8 bytes of `text` as returned (after the cap). */
  textBytes: number
  textTruncated: boolean
  /** Pages pdf.js could not parse in a damaged file; they add no text. Absent when none. */
  unreadablePages?: number
}

export type ProcessResult = ImageResult | PdfResult

export type ConvertFormat = 'webp' | 'jpeg' | 'png' | 'avif'

export interface ConvertOptions {
  format: ConvertFormat
  /** 0…100; ignored for PNG. */
  quality: number
  /** Long side to fit into, never upscaled; omitted keeps the size. */
  maxSide?: number
  maxPixels: number
}

/** The functions a pool worker exposes. Every input buffer is transferred, not copied. */
export interface WorkerApi {
  /** Sniff, decode, orient, resize and encode an image, or open and render a PDF. */
  process(
    bytes: ArrayBuffer,
    options: ProcessOptions,
    onProgress?: (progress: Progress) => void,
  ): Promise<ProcessResult>
  /** Re-encode an image for download. */
  convert(bytes: ArrayBuffer, options: ConvertOptions): Promise<Rendition>
  /** Render one PDF page (1-based) to WebP with the given long side. */
  renderPdfPage(
    bytes: ArrayBuffer,
    page: number,
    longSide: number,
    options: Pick<ProcessOptions, 'pdfAssetsUrl' | 'password' | 'maxBytes'>,
  ): Promise<Rendition>
}
