import { errorText } from '../errors'
import { download, formatBytes, formatType, h } from './dom'
import type { Dialog } from './dialog'
import type { RenderWorker } from './render-worker'
import type { Job, JobResult, Processor } from '../jobs/job'

const PAGE_SIDE = 1024

export interface ViewerOptions {
  dialog: Dialog
  processor: Processor
  renderer: RenderWorker
  onConvert(job: Job): void
}

/**
 * The preview of one document: the 1024 preview and metadata for an image; for a PDF, its pages
 * rendered on demand one at a time, the metadata and the extracted text.
 */
export class Viewer {
  readonly #options: ViewerOptions
  #urls: string[] = []

  constructor(options: ViewerOptions) {
    this.#options = options
  }

  async open(job: Job): Promise<void> {
    const { dialog, processor } = this.#options
    const result = await processor.result(job.id)
    const content: Node[] = []
    const meta = result?.meta
    const rows: [string, string | Node][] = [
      ['Type', formatType(job.type)],
      ['Size', formatBytes(job.bytes)],
    ]

    if (job.state === 'failed' && job.error) {
      content.push(
        h(
          'p',
          { class: 'error-text' },
          errorText(job.error.code, job.error.message),
          ' ',
          h('code', {}, job.error.code),
        ),
      )
    } else if (job.kind === 'image' && result) {
      content.push(this.#imageView(job, result))
      if (meta?.width && meta.height)
        rows.unshift(['Dimensions', `${meta.width} × ${meta.height} px`])
    } else if (job.kind === 'pdf' && result) {
      content.push(this.#pdfView(job, result))
      if (meta?.pages) rows.unshift(['Pages', String(meta.pages)])
      if (meta?.title) rows.push(['Title', meta.title])
      if (meta?.author) rows.push(['Author', meta.author])
      if (meta?.creationDate) rows.push(['Created', new Date(meta.creationDate).toLocaleString()])
    } else if (job.state !== 'done') {
      content.push(h('p', {}, 'This document is still being processed.'))
    }
    rows.push(['SHA-256', h('code', { class: 'hash', 'data-testid': 'sha256' }, job.sha256)])

    const details = h('dl', { class: 'meta' })
    for (const [term, value] of rows) details.append(h('dt', {}, term), h('dd', {}, value))
    content.push(details)

    if (job.kind === 'pdf' && result) content.push(this.#textView(result))

    const actions = h(
      'div',
      { class: 'row' },
      h(
        'button',
        { type: 'button', onclick: () => void this.#downloadOriginal(job) },
        'Download original',
      ),
      job.kind === 'image' && job.state === 'done'
        ? h(
            'button',
            { type: 'button', class: 'primary', onclick: () => this.#options.onConvert(job) },
            'Convert…',
          )
        : undefined,
    )
    content.push(actions)
    dialog.show(
      job.name,
      [h('div', { class: 'viewer', 'data-testid': 'viewer' }, ...content)],
      () => this.#revoke(),
    )
  }

  #imageView(job: Job, result: JobResult): HTMLElement {
    const blob = result.preview ?? result.thumbnail
    if (!blob) return h('p', {}, 'No preview was kept for this image.')
    return h('img', {
      class: 'preview',
      src: this.#url(blob),
      alt: `Preview of ${job.name}`,
      'data-testid': 'preview',
    })
  }

  #pdfView(job: Job, result: JobResult): HTMLElement {
    const pages = result.meta.pages ?? 1
    let page = 1
    const image = h('img', { class: 'preview', alt: '', 'data-testid': 'preview' })
    const status = h('p', { class: 'page-status', role: 'status' })
    const label = h('span', { class: 'page-label' })
    const prev = h(
      'button',
      { type: 'button', onclick: () => void show(page - 1) },
      'Previous page',
    )
    const next = h('button', { type: 'button', onclick: () => void show(page + 1) }, 'Next page')
    const cache = new Map<number, string>()

    const show = async (target: number) => {
      page = Math.min(pages, Math.max(1, target))
      label.textContent = `Page ${page} of ${pages}`
      prev.disabled = page === 1
      next.disabled = page === pages
      let url = cache.get(page)
      if (!url && page === 1 && result.preview) url = this.#url(result.preview)
      if (!url) {
        status.textContent = `Rendering page ${page}…`
        try {
          const original = await this.#options.processor.original(job.id)
          if (!original) throw new Error('the original file is no longer stored')
          const rendition = await this.#options.renderer.renderPdfPage(original, page, PAGE_SIDE)
          url = this.#url(new Blob([rendition.bytes], { type: rendition.mime }))
        } catch (error) {
          const code = (error as { code?: string }).code
          status.textContent = code ? errorText(code) : `Page ${page} could not be rendered.`
          if (!url && page === 1 && result.thumbnail) url = this.#url(result.thumbnail)
          if (!url) return
        }
        cache.set(page, url)
      }
      if (label.textContent !== `Page ${page} of ${pages}`) return
      status.textContent = ''
      image.src = url
      image.alt = `Page ${page} of ${job.name}`
    }
    void show(1)
    return h(
      'div',
      { class: 'pdf-view' },
      image,
      status,
      h('div', { class: 'row pager' }, prev, label, next),
    )
  }

  #textView(result: JobResult): HTMLElement {
    const bytes = result.meta.textBytes ?? result.text?.length ?? 0
    const body =
      bytes === 0 || !result.text
        ? h('p', { class: 'muted' }, 'No text layer: this PDF holds images of pages, not text.')
        : h(
            'pre',
            { class: 'pdf-text', tabindex: 0, 'aria-label': 'Extracted text' },
            // Pages are separated by a form feed, which a <pre> would show as nothing.
            result.text.replaceAll('\f', '\n\n'),
          )
    return h(
      'section',
      { class: 'text-section' },
      h('h3', {}, 'Extracted text'),
      body,
      result.meta.textTruncated
        ? h('p', { class: 'muted' }, 'The text was cut at the size limit.')
        : undefined,
    )
  }

  async #downloadOriginal(job: Job): Promise<void> {
    const blob = await this.#options.processor.original(job.id)
    if (blob) download(blob, job.name)
  }

  #url(blob: Blob): string {
    const url = URL.createObjectURL(blob)
    this.#urls.push(url)
    return url
  }

  #revoke(): void {
    for (const url of this.#urls) URL.revokeObjectURL(url)
    this.#urls = []
  }
}
