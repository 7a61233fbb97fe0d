import * as Comlink from 'comlink'
import { afterAll, describe, expect, it } from 'vitest'
import { registerErrorTransfer } from '../../wasm/shared/errors'
import { fixture, moved, processOptions } from '../fixtures/pdf/harness'
import type { WorkerApi } from '../../wasm/api'
import type { ProbeRecord } from '../fixtures/pdf/origin-recorder'

/*
 * How this test sees requests: pdf.js runs inside our worker, and a worker's requests appear
 * neither in the page's Resource Timing nor to any hook the page can set. So the worker under
 * test is the real pool worker behind a recorder (origin-recorder.ts) that notes, inside
 * the worker, every fetch and XHR URL (including ones that fail), every Resource Timing entry
 * (module imports too) and every pdf.js warning, then hands that record back on request.
 * The fixtures below make pdf.js load CMaps, standard fonts and image code, so the record is
 * known to be non-empty before it is checked for other origins.
 */

registerErrorTransfer()

const worker = new Worker(new URL('../fixtures/pdf/origin-probe.worker.ts', import.meta.url), {
  type: 'module',
})
const api = Comlink.wrap<WorkerApi>(worker)

afterAll(() => worker.terminate())

function readRecord(): Promise<ProbeRecord> {
  const { port1, port2 } = new MessageChannel()
  const answer = new Promise<ProbeRecord>((resolve) => {
    port1.onmessage = (event: MessageEvent<ProbeRecord>) => resolve(event.data)
  })
  worker.postMessage({ quireProbe: true }, [port2])
  return answer
}

describe('PDF processing and the network', () => {
  it('makes requests to the app origin only', async () => {
    for (const name of ['multi-page.pdf', 'cjk.pdf', 'standard-font.pdf', 'jpeg-image.pdf']) {
      await api.process(moved(await fixture(name)), processOptions())
    }
    await api.renderPdfPage(moved(await fixture('cjk.pdf')), 1, 1024, processOptions())

    const record = await readRecord()
    const asked = [...record.fetched, ...record.resources]
    const pageRequests = performance.getEntriesByType('resource').map((entry) => entry.name)

    expect(record.fetched.some((url) => url.includes('/pdfjs/cmaps/'))).toBe(true)
    expect(record.fetched.some((url) => url.includes('/pdfjs/standard_fonts/'))).toBe(true)
    expect(asked.filter((url) => new URL(url).origin !== location.origin)).toEqual([])
    expect(pageRequests.filter((url) => new URL(url).origin !== location.origin)).toEqual([])
  })

  it('logs no pdf.js warning about missing font or CMap data', async () => {
    const record = await readRecord()

    expect(record.warnings.filter((line) => /standardFontDataUrl|cMapUrl/.test(line))).toEqual([])
  })

  it('refuses an assets folder on another origin before loading anything from it', async () => {
    const elsewhere = processOptions({ pdfAssetsUrl: 'http://localhost:1/pdfjs/' })

    const error = await api
      .process(moved(await fixture('standard-font.pdf')), elsewhere)
      .catch((e: unknown) => e)
    const record = await readRecord()

    expect((error as Error).message).toMatch(/pdfAssetsUrl must be on/)
    expect(record.fetched.filter((url) => url.startsWith('http://localhost:1/'))).toEqual([])
  })
})
