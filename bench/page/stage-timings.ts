import { collectStages, stageDurations } from '../lib/stages.mjs'
import { SNIFF_BYTES, sniff } from '../../wasm/shared/sniff'
import { describeError, processOptions, spawnWorker, timedProcess } from './worker-client'
import { peakWorkerBytes } from './memory'
import type { ProcessResult } from '../../wasm/api'

export interface StageInput {
  id: string
  url: string
}

export interface StageReport {
  id: string
  bytes: number
  /** Sniffed on the page, as intake does. */
  type: string
  /** First call on a fresh worker: includes fetching and compiling the WASM modules. */
  coldMs: number | null
  /** Per stage, one sample per timed run (ms). `total` is the whole `process` call. */
  samples: Record<string, number[]>
  /** Stages in the order the worker reported them. */
  order: string[]
  output: Record<string, number | string | boolean> | null
  /** Worker memory sampled during one more run; null when the browser does not expose it. */
  peakWorkerBytes: number | null
  memorySamples: number
  error: { code: string; message: string } | null
}

/**
 * Times sniff and SHA-256 on the page, then the worker's stages from its progress messages,
 * over `repeats` runs after one cold run, all on one warm worker. Runs stop early (after at
 * least one) when the next would end past `budgetMs`.
 */
export async function stageTimings(
  input: StageInput,
  repeats: number,
  budgetMs: number,
): Promise<StageReport> {
  const source = await (await fetch(input.url)).arrayBuffer()
  const report: StageReport = {
    id: input.id,
    bytes: source.byteLength,
    type: sniff(new Uint8Array(source, 0, Math.min(SNIFF_BYTES, source.byteLength))).type,
    coldMs: null,
    samples: {},
    order: [],
    output: null,
    peakWorkerBytes: null,
    memorySamples: 0,
    error: null,
  }
  const worker = spawnWorker()
  const options = processOptions()
  const runs: Record<string, number>[] = []
  try {
    const cold = await timedProcess(worker, source.slice(0), options)
    report.coldMs = cold.end - cold.start
    report.output = describeOutput(cold.result)

    const began = performance.now()
    for (let run = 0; run < repeats; run += 1) {
      const spent = performance.now() - began
      if (run > 0 && spent + spent / run > budgetMs) break
      const bytes = source.slice(0)
      const t0 = performance.now()
      sniff(new Uint8Array(bytes, 0, Math.min(SNIFF_BYTES, bytes.byteLength)))
      const t1 = performance.now()
      await crypto.subtle.digest('SHA-256', bytes)
      const t2 = performance.now()
      const job = await timedProcess(worker, bytes, options)
      const stages = stageDurations(job.marks, job.start, job.end)
      // What the native tools each do from a cold file: open it, then render page 1 or
      // extract every page's text.
      if (stages.open !== undefined) {
        stages['open+render'] = stages.open + (stages.render ?? 0)
        stages['open+text'] = stages.open + (stages.text ?? 0)
      }
      runs.push({ sniff: t1 - t0, hash: t2 - t1, ...stages, total: job.end - job.start })
      if (run === 0) report.order = [...new Set(job.marks.map((mark) => mark.stage))]
    }

    const sampled = await peakWorkerBytes(timedProcess(worker, source.slice(0), options))
    report.peakWorkerBytes = sampled.peakBytes
    report.memorySamples = sampled.samples
  } catch (error) {
    report.error = describeError(error)
  } finally {
    worker.close()
  }
  report.samples = collectStages(runs)
  return report
}

function describeOutput(result: ProcessResult): Record<string, number | string | boolean> {
  if (result.kind === 'image') {
    return {
      width: result.width,
      height: result.height,
      thumbnail: `${result.thumbnail.width}×${result.thumbnail.height} ${result.thumbnail.mime}`,
      thumbnailBytes: result.thumbnail.bytes.byteLength,
      preview: `${result.preview.width}×${result.preview.height}`,
    }
  }
  return {
    pages: result.pages,
    thumbnail: `${result.thumbnail.width}×${result.thumbnail.height} ${result.thumbnail.mime}`,
    thumbnailBytes: result.thumbnail.bytes.byteLength,
    textBytes: result.textBytes,
    textTruncated: result.textTruncated,
  }
}
