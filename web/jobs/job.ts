import type { ProcessingErrorCode } from '../../wasm/shared/errors'
import type { Progress, SniffedType } from '../../wasm/api'

/** Where a job is in its life. `done`, `failed` and `cancelled` are final. */
export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled'

export interface JobError {
  code: ProcessingErrorCode
  message: string
}

/** One file dropped into one workspace (tenant), persisted in IndexedDB. */
export interface Job {
  /** `${tenant}:${sha256}`: a file is processed once per tenant. */
  id: string
  tenant: string
  sha256: string
  name: string
  /** Size in bytes. */
  bytes: number
  /** From the magic bytes, never the extension. */
  type: SniffedType
  mime: string
  kind: 'image' | 'pdf' | null
  state: JobState
  attempts: number
  error?: JobError
  progress?: Progress
  createdAt: number
  updatedAt: number
}

/** Metadata of a finished document, as shown in the page and sent to the API. */
export interface DocumentMeta {
  sha256: string
  name: string
  mime: string
  bytes: number
  kind: 'image' | 'pdf' | null
  status: 'ready' | 'failed'
  error?: JobError
  width?: number
  height?: number
  pages?: number
  title?: string
  author?: string
  creationDate?: string
  textBytes?: number
  textTruncated?: boolean
}

/** What the store keeps for a finished job. */
export interface JobResult {
  meta: DocumentMeta
  /** WebP, long side 256. Absent when the job failed. */
  thumbnail?: Blob
  /** WebP, long side 1024 (images) or page 1 at 1024 (PDFs, rendered on demand). */
  preview?: Blob
  /** Extracted PDF text. */
  text?: string
}

/** What the UI needs from the processing tier; built by `web/jobs/processor.ts`. */
export interface Processor {
  /** Takes files at once; their bytes are read lazily under a memory bound. */
  add(files: Iterable<File>): Promise<Job[]>
  cancel(id: string): Promise<void>
  cancelAll(): Promise<void>
  /** Re-queues a failed or cancelled job; for an `encrypted` PDF, with a password. */
  retry(id: string, password?: string): Promise<void>
  remove(id: string): Promise<void>
  /** Current jobs, newest first, and every later change. Returns an unsubscribe function. */
  subscribe(listener: (jobs: readonly Job[]) => void): () => void
  result(id: string): Promise<JobResult | undefined>
  /** Only the thumbnail (WebP, long side 256), without reading the rest of the result. */
  thumbnail(id: string): Promise<Blob | undefined>
  /** The original file's bytes, for download and on-demand page rendering. */
  original(id: string): Promise<Blob | undefined>
  /** Stops the workers and closes the store. */
  close(): Promise<void>
}
