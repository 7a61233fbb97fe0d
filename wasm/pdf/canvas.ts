import type { Rendition } from '../api'
import type { PDFPageProxy, RenderParameters } from 'pdfjs-dist/types/src/display/api'

/** Largest side we render, whatever a caller asks for: 4096² RGBA is 64 MB. */
export const MAX_RENDER_SIDE = 4096

/** WebP quality for thumbnails and previews, 0…1 as `convertToBlob` takes it. */
const WEBP_QUALITY = 0.8

interface CanvasAndContext {
  canvas: OffscreenCanvas | null
  context: OffscreenCanvasRenderingContext2D | null
}

/**
 * pdf.js's scratch canvases (soft masks, patterns, groups) as OffscreenCanvas: its default
 * factory calls `document.createElement`, which a worker does not have.
 */
export class OffscreenCanvasFactory {
  constructor(_options: { enableHWA?: boolean }) {}

  create(width: number, height: number): CanvasAndContext {
    if (width <= 0 || height <= 0) throw new Error(`invalid canvas size ${width}×${height}`)
    const canvas = new OffscreenCanvas(width, height)
    return { canvas, context: canvas.getContext('2d', { willReadFrequently: true }) }
  }

  reset(target: CanvasAndContext, width: number, height: number): void {
    if (!target.canvas) throw new Error('canvas is not specified')
    target.canvas.width = width
    target.canvas.height = height
  }

  destroy(target: CanvasAndContext): void {
    if (target.canvas) target.canvas.width = target.canvas.height = 0
    target.canvas = null
    target.context = null
  }
}

/**
 * pdf.js builds transfer-function and luminosity filters as SVG elements in the document.
 * Without a document we answer "none" for each, as pdf.js itself does in Node: such pages
 * render, with those effects left out.
 */
export class NoFilterFactory {
  constructor(_options: { docId?: string }) {}

  addFilter(): string {
    return 'none'
  }

  addHCMFilter(): string {
    return 'none'
  }

  addAlphaFilter(): string {
    return 'none'
  }

  addLuminosityFilter(): string {
    return 'none'
  }

  addHighlightHCMFilter(): string {
    return 'none'
  }

  destroy(): void {}
}

/**
 * Renders `page` on a white OffscreenCanvas whose long side is `longSide` pixels (the
 * page's displayed orientation, /Rotate applied) and encodes it as WebP.
 */
export async function renderPageToWebp(page: PDFPageProxy, longSide: number): Promise<Rendition> {
  const side = Math.min(Math.max(1, Math.round(longSide)), MAX_RENDER_SIDE)
  const natural = page.getViewport({ scale: 1 })
  const viewport = page.getViewport({ scale: side / Math.max(natural.width, natural.height) })
  const width = Math.max(1, Math.round(viewport.width))
  const height = Math.max(1, Math.round(viewport.height))
  const canvas = new OffscreenCanvas(width, height)
  const context = canvas.getContext('2d', { alpha: false })
  if (!context) throw new Error('OffscreenCanvas 2D context is not available')

  try {
    // The types name the DOM canvas; pdf.js draws on an OffscreenCanvas context the same way.
    const canvasContext = context as unknown as RenderParameters['canvasContext']
    await page.render({ canvas: null, canvasContext, viewport, background: 'white' }).promise
    const blob = await canvas.convertToBlob({ type: 'image/webp', quality: WEBP_QUALITY })
    if (blob.type !== 'image/webp') throw new Error(`canvas encoded ${blob.type}, not WebP`)
    return { bytes: await blob.arrayBuffer(), mime: 'image/webp', width, height }
  } finally {
    canvas.width = canvas.height = 0
  }
}
