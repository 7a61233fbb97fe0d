import { stageDurations } from '../lib/stages.mjs'
import { SNIFF_BYTES, sniff } from '../../wasm/shared/sniff'
import { describeError, processOptions, spawnWorker, timedProcess } from './worker-client'
import { peakWorkerBytes } from './memory'
import type { ProcessResult } from '../../wasm/api'
import type { BenchWorker } from './worker-client'

export interface StageInput {
  id: string
  url: string
}

export interface OpenedInput {
  id: string
  bytes: number
  /** Sniffed on the page, as intake does. */
  type: string
  /** First call on a fresh worker: includes fetching and compiling the WASM modules. */
  coldMs: number | null
  output: Record<string, number | string | boolean> | null
  error: { code: string; message: string } | null
}

interface Session {
  source: ArrayBuffer
  worker: BenchWorker
}

const sessions = new Map<string, Session>()

/**
 * Fetches an input, starts a fresh pool worker for it and makes the first (cold) call.
 * Timed runs follow with `timeInput`, one at a time, so that the runner can put a native
 * run between two of them; `closeInput` ends the session.
 */
export async function openInput(input: StageInput): Promise<OpenedInput> {
  const source = await (await fetch(input.url)).arrayBuffer()
  const opened: OpenedInput = {
    id: input.id,
    bytes: source.byteLength,
    type: sniff(new Uint8Array(source, 0, Math.min(SNIFF_BYTES, source.byteLength))).type,
    coldMs: null,
    output: null,
    error: null,
  }
  const worker = spawnWorker()
  sessions.set(input.id, { source, worker })
  try {
    const cold = await timedProcess(worker, source.slice(0), processOptions())
    opened.coldMs = cold.end - cold.start
    opened.output = describeOutput(cold.result)
  } catch (error) {
    opened.error = describeError(error)
  }
  return opened
}

/**
 * One timed run: sniff and SHA-256 on the page as intake does them, then the worker's stages
 * from its progress messages (see `stageDurations`), in milliseconds.
 */
export async function timeInput(id: string): Promise<Record<string, number>> {
  const { source, worker } = session(id)
  const bytes = source.slice(0)
  const t0 = performance.now()
  sniff(new Uint8Array(bytes, 0, Math.min(SNIFF_BYTES, bytes.byteLength)))
  const t1 = performance.now()
  await crypto.subtle.digest('SHA-256', bytes)
  const t2 = performance.now()
  const job = await timedProcess(worker, bytes, processOptions())
  const stages = stageDurations(job.marks, job.start, job.end)
  // What the native tools each do from a cold file: open it, then render page 1 or extract
  // every page's text.
  if (stages.open !== undefined) {
    stages['open+render'] = stages.open + (stages.render ?? 0)
    stages['open+text'] = stages.open + (stages.text ?? 0)
  }
  return { sniff: t1 - t0, hash: t2 - t1, ...stages, total: job.end - job.start }
}

/**
 * Samples the worker's memory during one more run when `sample` is set (WASM memories only
 * grow, so the sample after the run sees their high-water mark), then terminates the worker.
 */
export async function closeInput(
  id: string,
  sample: boolean,
): Promise<{ peakWorkerBytes: number | null; memorySamples: number; error: string | null }> {
  const { source, worker } = session(id)
  try {
    if (!sample) return { peakWorkerBytes: null, memorySamples: 0, error: null }
    const sampled = await peakWorkerBytes(timedProcess(worker, source.slice(0), processOptions()))
    return { peakWorkerBytes: sampled.peakBytes, memorySamples: sampled.samples, error: null }
  } catch (error) {
    return { peakWorkerBytes: null, memorySamples: 0, error: describeError(error).message }
  } finally {
    worker.close()
    sessions.delete(id)
  }
}

function session(id: string): Session {
  const found = sessions.get(id)
  if (!found) throw new Error(`no open input ${id}; call openInput first`)
  return found
}

function describeOutput(result: ProcessResult): Record<string, number | string | boolean> {
  const thumbnail = `${result.thumbnail.width}×${result.thumbnail.height} ${result.thumbnail.mime}`
  if (result.kind === 'image') {
    return {
      width: result.width,
      height: result.height,
      thumbnail,
      thumbnailBytes: result.thumbnail.bytes.byteLength,
      preview: `${result.preview.width}×${result.preview.height}`,
    }
  }
  return {
    pages: result.pages,
    thumbnail,
    thumbnailBytes: result.thumbnail.bytes.byteLength,
    textBytes: result.textBytes,
    textTruncated: result.textTruncated,
  }
}
