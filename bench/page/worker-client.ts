import * as Comlink from 'comlink'
import { AppError } from '../../wasm/shared/errors'
import { defaultProcessOptions } from '../../web/config'
import type { ProcessOptions, ProcessResult, Progress, WorkerApi } from '../../wasm/api'

/** The options a pool job gets in the app, with a byte limit wide enough for every bench input. */
export function processOptions(): ProcessOptions {
  return { ...defaultProcessOptions(), maxBytes: 512 * 1024 * 1024 }
}

export interface BenchWorker {
  api: Comlink.Remote<WorkerApi>
  close(): void
}

/** Starts one pool worker, the same module the app's pool runs. */
export function spawnWorker(): BenchWorker {
  const worker = new Worker(new URL('../../wasm/worker.ts', import.meta.url), { type: 'module' })
  const api = Comlink.wrap<WorkerApi>(worker)
  return {
    api,
    close() {
      api[Comlink.releaseProxy]()
      worker.terminate()
    },
  }
}

export interface Mark {
  stage: Progress['stage']
  fraction: number
  t: number
}

export interface TimedJob {
  start: number
  end: number
  marks: Mark[]
  result: ProcessResult
}

/**
 * Runs one `process` call and stamps every progress message as it reaches the page.
 * `bytes` is transferred: the caller's buffer is detached afterwards.
 */
export async function timedProcess(
  worker: BenchWorker,
  bytes: ArrayBuffer,
  options: ProcessOptions,
): Promise<TimedJob> {
  const marks: Mark[] = []
  const onProgress = Comlink.proxy((progress: Progress) => {
    marks.push({ stage: progress.stage, fraction: progress.fraction, t: performance.now() })
  })
  const start = performance.now()
  const result = await worker.api.process(Comlink.transfer(bytes, [bytes]), options, onProgress)
  const end = performance.now()
  return { start, end, marks, result }
}

/** A failure as plain data that survives `page.evaluate`. */
export function describeError(error: unknown): { code: string; message: string } {
  if (error instanceof AppError) return { code: error.code, message: error.message }
  if (error instanceof Error) return { code: error.name, message: error.message }
  return { code: 'unknown', message: String(error) }
}
