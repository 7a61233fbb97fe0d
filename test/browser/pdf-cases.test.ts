import * as Comlink from 'comlink'
import { commands } from 'vitest/browser'
import { afterAll, describe, expect, it } from 'vitest'
import { AppError, registerErrorTransfer } from '../../wasm/shared/errors'
import { darkPixels, decode, moved, processOptions } from '../fixtures/pdf/harness'
import type { PdfResult, WorkerApi } from '../../wasm/api'
import type { ProbeRecord } from '../fixtures/pdf/origin-recorder'

/*
 * The shared PDF cases (../shared/cases/LOG.md rows c09, c11, c12) and the corpus PDFs, read
 * from beside the clone. Each group is skipped when its files are not there.
 */

registerErrorTransfer()

/** The bytes of a file under ../shared, or null when it is absent. */
async function shared(path: string): Promise<ArrayBuffer | null> {
  try {
    const base64 = await commands.readFile(`../shared/${path}`, 'base64')
    return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)).buffer
  } catch {
    return null
  }
}

const cases = {
  c09: await shared('cases/files/c09-encrypted-user-password.pdf'),
  c11: await shared('cases/files/c11-junk-prefix-broken-xref.pdf'),
  c12: await shared('cases/files/c12-nonembedded-helvetica.pdf'),
}
const corpusNames = ['classes.pdf', 'fntguide.pdf', 'ltnews36.pdf']
const corpus = await Promise.all(corpusNames.map((name) => shared(`corpus/${name}`)))

// The recorder in front of the pool worker also collects pdf.js warnings (see pdf-origin).
const worker = new Worker(new URL('../fixtures/pdf/origin-probe.worker.ts', import.meta.url), {
  type: 'module',
})
const api = Comlink.wrap<WorkerApi>(worker)

afterAll(() => worker.terminate())

const copy = (bytes: ArrayBuffer | null) => moved(bytes!.slice(0))

async function processCase(bytes: ArrayBuffer | null, overrides = {}): Promise<PdfResult> {
  const result = await api.process(copy(bytes), processOptions(overrides))
  if (result.kind !== 'pdf') throw new Error(`expected a PDF result, got ${result.kind}`)
  return result
}

function readWarnings(): Promise<string[]> {
  const { port1, port2 } = new MessageChannel()
  const answer = new Promise<string[]>((resolve) => {
    port1.onmessage = (event: MessageEvent<ProbeRecord>) => resolve(event.data.warnings)
  })
  worker.postMessage({ quireProbe: true }, [port2])
  return answer
}

describe.skipIf(!cases.c09)('case c09: AES-128 PDF with a user password', () => {
  it('fails with encrypted, not corrupt, without the password', async () => {
    const error = await processCase(cases.c09).catch((e: unknown) => e)

    expect(error).toBeInstanceOf(AppError)
    expect((error as AppError).code).toBe('encrypted')
  })

  it('opens with the password c09-user', async () => {
    const result = await processCase(cases.c09, { password: 'c09-user' })

    expect(result.pages).toBe(1)
    expect(result.text).toContain('Secret page')
  })
})

describe.skipIf(!cases.c11)('case c11: junk before %PDF- and a broken xref', () => {
  it('recovers one page with its text and a rendered preview', async () => {
    const result = await processCase(cases.c11)
    const image = await decode(result.thumbnail)

    expect(result.pages).toBe(1)
    expect(result.text).toContain('Recovered text')
    expect(darkPixels(image, 0, 0, image.width, image.height)).toBeGreaterThan(20)
  })
})

describe.skipIf(!cases.c12)('case c12: non-embedded Helvetica', () => {
  it('extracts the text of the 400×200 pt page', async () => {
    const result = await processCase(cases.c12)

    expect(result.pages).toBe(1)
    expect(result.text).toContain('Hello Helvetica')
    expect([result.pageWidth, result.pageHeight]).toEqual([400, 200])
  })

  it('draws the text in the preview at 72 dpi without a standardFontDataUrl warning', async () => {
    const preview = await api.renderPdfPage(copy(cases.c12), 1, 400, processOptions())
    const image = await decode(preview)
    const warnings = await readWarnings()

    expect([image.width, image.height]).toEqual([400, 200])
    expect(darkPixels(image, 40, 70, 240, 102)).toBeGreaterThan(200)
    expect(warnings.filter((line) => line.includes('standardFontDataUrl'))).toEqual([])
  })
})

describe.skipIf(corpus.some((bytes) => !bytes))('corpus PDFs', () => {
  it.each(corpusNames.map((name, i) => [name, i] as const))(
    'reads %s: pages, page-1 size, thumbnail and text',
    async (_name, index) => {
      const result = await processCase(corpus[index]!)
      const image = await decode(result.thumbnail)

      expect(result.pages).toBeGreaterThan(1)
      expect(result.pageWidth).toBeGreaterThan(0)
      expect(Math.max(image.width, image.height)).toBe(256)
      expect(result.textBytes).toBeGreaterThan(1000)
      expect(result.text.split('\f')).toHaveLength(result.pages)
    },
  )
})
