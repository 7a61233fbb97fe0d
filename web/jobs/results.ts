import type { ProcessResult, Rendition } from '../../wasm/api'
import type { StoredResult } from '../store/db'
import type { DocumentMeta, Job } from './job'

function baseMeta(job: Job): Pick<DocumentMeta, 'sha256' | 'name' | 'mime' | 'bytes' | 'kind'> {
  return { sha256: job.sha256, name: job.name, mime: job.mime, bytes: job.bytes, kind: job.kind }
}

function blob(rendition: Rendition): Blob {
  return new Blob([rendition.bytes], { type: rendition.mime })
}

/** The stored result of a job the worker finished. */
export function readyResult(job: Job, value: ProcessResult): StoredResult {
  const meta: DocumentMeta = { ...baseMeta(job), mime: value.mime, status: 'ready' }
  if (value.kind === 'image') {
    return {
      id: job.id,
      tenant: job.tenant,
      meta: { ...meta, kind: 'image', width: value.width, height: value.height },
      thumbnail: blob(value.thumbnail),
      preview: blob(value.preview),
    }
  }
  const pdf: DocumentMeta = { ...meta, kind: 'pdf', pages: value.pages }
  if (value.title) pdf.title = value.title
  if (value.author) pdf.author = value.author
  if (value.creationDate) pdf.creationDate = value.creationDate
  pdf.textBytes = value.textBytes
  pdf.textTruncated = value.textTruncated
  return {
    id: job.id,
    tenant: job.tenant,
    meta: pdf,
    thumbnail: blob(value.thumbnail),
    text: value.text,
  }
}

/** The stored result of a failed job: its metadata with the error, nothing else. */
export function failedResult(job: Job): StoredResult {
  const meta: DocumentMeta = { ...baseMeta(job), status: 'failed' }
  if (job.error) meta.error = job.error
  return { id: job.id, tenant: job.tenant, meta }
}

/** Approximate bytes a result takes in the store, for the quota guard. */
export function resultBytes(result: StoredResult): number {
  return (result.thumbnail?.size ?? 0) + (result.preview?.size ?? 0) + (result.text?.length ?? 0)
}
