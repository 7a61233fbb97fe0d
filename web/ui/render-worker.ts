import * as Comlink from 'comlink'
import { registerErrorTransfer } from '../../wasm/shared/errors'
import type { ConvertOptions, Rendition, WorkerApi } from '../../wasm/api'

const IDLE_MS = 10_000

/**
 * One on-demand worker for the viewer and the converter: PDF pages and re-encodes. It is apart
 * from the processing pool so that opening a preview never waits behind a batch; calls run one at
 * a time, and the worker is terminated after 10 s without work.
 */
export class RenderWorker {
  #worker: Worker | undefined
  #api: Comlink.Remote<WorkerApi> | undefined
  #chain: Promise<unknown> = Promise.resolve()
  #busy = 0
  #idle: ReturnType<typeof setTimeout> | undefined

  constructor() {
    registerErrorTransfer()
  }

  /** Renders one PDF page (1-based) to WebP. `pdf` is copied, so the caller keeps its Blob. */
  renderPdfPage(pdf: Blob, page: number, longSide: number, password?: string): Promise<Rendition> {
    return this.#run(async (api) => {
      const bytes = await pdf.arrayBuffer()
      const options = { pdfAssetsUrl: new URL('/pdfjs/', location.href).href, maxBytes: 1e9 }
      return api.renderPdfPage(
        Comlink.transfer(bytes, [bytes]),
        page,
        longSide,
        password ? { ...options, password } : options,
      )
    })
  }

  convert(image: Blob, options: ConvertOptions): Promise<Rendition> {
    return this.#run(async (api) => {
      const bytes = await image.arrayBuffer()
      return api.convert(Comlink.transfer(bytes, [bytes]), options)
    })
  }

  close(): void {
    clearTimeout(this.#idle)
    this.#api?.[Comlink.releaseProxy]()
    this.#worker?.terminate()
    this.#worker = undefined
    this.#api = undefined
  }

  #run<T>(task: (api: Comlink.Remote<WorkerApi>) => Promise<T>): Promise<T> {
    clearTimeout(this.#idle)
    this.#busy++
    const result = this.#chain.then(() => task(this.#ensure()))
    this.#chain = result.catch(() => undefined)
    return result.finally(() => {
      if (--this.#busy === 0) this.#idle = setTimeout(() => this.close(), IDLE_MS)
    })
  }

  #ensure(): Comlink.Remote<WorkerApi> {
    if (!this.#api) {
      this.#worker = new Worker(new URL('../../wasm/worker.ts', import.meta.url), {
        type: 'module',
        name: 'quire-render',
      })
      this.#api = Comlink.wrap<WorkerApi>(this.#worker)
    }
    return this.#api
  }
}
