import { describe, expect, it } from 'vitest'
import { failedResult, readyResult } from '../../../web/jobs/results'
import type { ImageResult, PdfResult } from '../../../wasm/api'
import type { Job } from '../../../web/jobs/job'

const job: Job = {
  id: 't:abc',
  tenant: 't',
  sha256: 'abc',
  name: 'scan.pdf',
  bytes: 1234,
  type: 'pdf',
  mime: 'application/pdf',
  kind: 'pdf',
  state: 'done',
  attempts: 1,
  createdAt: 1,
  updatedAt: 2,
}

const rendition = (width: number, height: number) => ({
  bytes: new ArrayBuffer(8),
  mime: 'image/webp',
  width,
  height,
})

describe('readyResult', () => {
  it('keeps upright size, thumbnail and preview for an image', () => {
    const value: ImageResult = {
      kind: 'image',
      type: 'jpeg',
      mime: 'image/jpeg',
      width: 48,
      height: 64,
      thumbnail: rendition(192, 256),
      preview: rendition(48, 64),
    }

    const result = readyResult({ ...job, kind: 'image', type: 'jpeg', mime: 'image/jpeg' }, value)

    expect(result.meta).toEqual({
      sha256: 'abc',
      name: 'scan.pdf',
      mime: 'image/jpeg',
      bytes: 1234,
      kind: 'image',
      status: 'ready',
      width: 48,
      height: 64,
    })
    expect(result.thumbnail?.type).toBe('image/webp')
    expect(result.preview?.size).toBe(8)
    expect(result.text).toBeUndefined()
  })

  it('keeps pages, document info and text for a PDF, leaving out what is absent', () => {
    const value: PdfResult = {
      kind: 'pdf',
      type: 'pdf',
      mime: 'application/pdf',
      pages: 3,
      title: 'Report',
      pageWidth: 612,
      pageHeight: 792,
      thumbnail: rendition(198, 256),
      text: 'hello\fworld',
      textBytes: 11,
      textTruncated: false,
    }

    const result = readyResult(job, value)

    expect(result.meta).toEqual({
      sha256: 'abc',
      name: 'scan.pdf',
      mime: 'application/pdf',
      bytes: 1234,
      kind: 'pdf',
      status: 'ready',
      pages: 3,
      title: 'Report',
      textBytes: 11,
      textTruncated: false,
    })
    expect(result.text).toBe('hello\fworld')
    expect(result.preview).toBeUndefined()
  })
})

describe('failedResult', () => {
  it('carries the error and no renditions', () => {
    const error = { code: 'corrupt', message: 'broken xref' } as const

    const result = failedResult({ ...job, state: 'failed', error })

    expect(result).toEqual({
      id: 't:abc',
      tenant: 't',
      meta: {
        sha256: 'abc',
        name: 'scan.pdf',
        mime: 'application/pdf',
        bytes: 1234,
        kind: 'pdf',
        status: 'failed',
        error,
      },
    })
  })
})
