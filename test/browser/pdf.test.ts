import * as Comlink from 'comlink'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { AppError, registerErrorTransfer } from '../../wasm/shared/errors'
import {
  darkPixels,
  decode,
  fixture,
  moved,
  pixel,
  processOptions,
  startWorker,
} from '../fixtures/pdf/harness'
import type { PdfResult, Progress, ProcessResult } from '../../wasm/api'

registerErrorTransfer()

const { worker, api } = startWorker()

afterAll(() => worker.terminate())

async function processFixture(name: string, overrides = {}): Promise<PdfResult> {
  const result: ProcessResult = await api.process(
    moved(await fixture(name)),
    processOptions(overrides),
  )
  if (result.kind !== 'pdf') throw new Error(`expected a PDF result, got ${result.kind}`)
  return result
}

async function failure(name: string, overrides = {}): Promise<AppError> {
  const error = await processFixture(name, overrides).catch((e: unknown) => e)
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`)
  return error
}

describe('processPdf on a multi-page document', () => {
  let result: PdfResult

  beforeAll(async () => {
    result = await processFixture('multi-page.pdf')
  })

  it('returns the page count, metadata and page-1 size', () => {
    expect(result.pages).toBe(3)
    expect(result.title).toBe('Quire multi-page fixture')
    expect(result.author).toBe('Quire Tests')
    expect(result.creationDate).toBe('2024-03-15T09:30:00.000Z')
    expect(result.pageWidth).toBe(612)
    expect(result.pageHeight).toBe(792)
  })

  it('returns the text of every page in order, separated by form feeds', () => {
    const pages = result.text.split('\f')

    expect(pages).toHaveLength(3)
    expect(pages[0]).toMatch(/Quire multi-page fixture\s+The first page has two lines\./)
    expect(pages[1]).toBe('Second page says hello.')
    expect(pages[2]).toBe('Third and last page.')
    expect(result.textBytes).toBe(new TextEncoder().encode(result.text).length)
    expect(result.textTruncated).toBe(false)
  })

  it('returns a WebP thumbnail of page 1 whose long side is 256', async () => {
    const image = await decode(result.thumbnail)

    expect(result.thumbnail.mime).toBe('image/webp')
    expect([image.width, image.height]).toEqual([198, 256])
    expect([result.thumbnail.width, result.thumbnail.height]).toEqual([198, 256])
    expect(darkPixels(image, 0, 0, image.width, 60)).toBeGreaterThan(50)
  })
})

describe('processPdf options and progress', () => {
  it('cuts the text at textCap bytes and records the truncation', async () => {
    const result = await processFixture('multi-page.pdf', { textCap: 40 })

    expect(result.textTruncated).toBe(true)
    expect(result.textBytes).toBe(40)
    expect(result.text).toBe('Quire multi-page fixture\nThe first page ')
  })

  it('reports open, render and text progress up to the whole job', async () => {
    const seen: Progress[] = []
    const onProgress = Comlink.proxy((progress: Progress) => void seen.push(progress))

    await api.process(moved(await fixture('multi-page.pdf')), processOptions(), onProgress)
    // Progress travels on its own port, so it may land just after the result.
    await vi.waitFor(() => expect(seen.at(-1)).toEqual({ stage: 'text', fraction: 1 }))

    const stages = [...new Set(seen.map((p) => p.stage))]
    expect(stages).toEqual(['open', 'render', 'text'])
    const fractions = seen.map((p) => p.fraction)
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b))
  })
})

describe('processPdf on protected and damaged files', () => {
  it('fails with encrypted when no password is given', async () => {
    expect((await failure('encrypted.pdf')).code).toBe('encrypted')
  })

  it('fails with wrong_password when the password is wrong', async () => {
    expect((await failure('encrypted.pdf', { password: 'guess' })).code).toBe('wrong_password')
  })

  it('opens an AES-256 PDF with the right password', async () => {
    const result = await processFixture('encrypted.pdf', { password: 'quire-user' })

    expect(result.pages).toBe(1)
    expect(result.title).toBe('Quire encrypted fixture')
    expect(result.text).toBe('Behind a password.')
  })

  it('fails with corrupt on a truncated file', async () => {
    const error = await failure('truncated.pdf')

    expect(error.code).toBe('corrupt')
    expect(error.message).toMatch(/damaged|cut short/)
  })

  it('recovers a file with a junk prefix and a broken xref', async () => {
    const result = await processFixture('junk-prefix-broken-xref.pdf')

    expect(result.pages).toBe(1)
    expect(result.text).toBe('Recovered from a broken xref.')
  })

  it('keeps the readable pages and counts the unreadable one in a broken page tree', async () => {
    const result = await processFixture('missing-page.pdf')

    const pages = result.text.split('\f')

    expect(pages).toHaveLength(result.pages)
    expect(pages[0]).toContain('Quire multi-page fixture')
    expect(result.unreadablePages).toBe(1)
  })

  it('keeps working for the next file after failures', async () => {
    expect((await processFixture('standard-font.pdf')).pages).toBe(1)
  })
})

describe('processPdf fonts and images', () => {
  it('draws a non-embedded standard font from the bundled font data', async () => {
    const preview = await api.renderPdfPage(
      moved(await fixture('standard-font.pdf')),
      1,
      400,
      processOptions(),
    )
    const image = await decode(preview)

    expect([image.width, image.height]).toEqual([400, 200])
    expect(darkPixels(image, 40, 70, 240, 102)).toBeGreaterThan(200)
  })

  it('renders an embedded JPEG and reports no text layer', async () => {
    const result = await processFixture('jpeg-image.pdf')
    const image = await decode(result.thumbnail)
    const [left, right] = [pixel(image, 64, 96), pixel(image, 192, 96)]

    expect([image.width, image.height]).toEqual([256, 192])
    expect(left[0]).toBeGreaterThan(200)
    expect(left[2]).toBeLessThan(60)
    expect(right[2]).toBeGreaterThan(200)
    expect(right[0]).toBeLessThan(60)
    expect(result.text).toBe('')
    expect(result.textBytes).toBe(0)
  })

  it('extracts Japanese text through the predefined CMap UniJIS-UCS2-H', async () => {
    const result = await processFixture('cjk.pdf')

    expect(result.text).toBe('こんにちは世界')
    expect(result.textBytes).toBe(21)
  })
})

describe('processPdf on 2,000 pages', () => {
  it('counts the pages and streams the text of each', async () => {
    const result = await processFixture('many-pages.pdf')
    const pages = result.text.split('\f')

    expect(result.pages).toBe(2000)
    expect(pages).toHaveLength(2000)
    expect(pages.every((page) => page === 'Shared page text')).toBe(true)
    expect(result.textTruncated).toBe(false)
  })
})

describe('renderPdfPage', () => {
  it('renders any page with the asked long side', async () => {
    const preview = await api.renderPdfPage(
      moved(await fixture('multi-page.pdf')),
      3,
      1024,
      processOptions(),
    )
    const image = await decode(preview)

    expect([image.width, image.height]).toEqual([791, 1024])
    expect(darkPixels(image, 0, 0, image.width, 200)).toBeGreaterThan(100)
  })

  it('rejects a page number outside the document', async () => {
    const error = await api
      .renderPdfPage(moved(await fixture('multi-page.pdf')), 4, 256, processOptions())
      .catch((e: unknown) => e)

    expect(error).toBeInstanceOf(Error)
    expect((error as Error).message).toMatch(/from 1 to 3, got 4/)
  })

  it('asks for the password of an encrypted file', async () => {
    const error = await api
      .renderPdfPage(moved(await fixture('encrypted.pdf')), 1, 256, processOptions())
      .catch((e: unknown) => e)

    expect((error as AppError).code).toBe('encrypted')
  })
})
