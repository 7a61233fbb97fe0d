import { describeError, processOptions, spawnWorker } from './worker-client'
import { loadProcessorFactory, runBatch, withProcessor } from './processor'
import { syntheticJpegs } from './synthetic'
import type { BenchWorker } from './worker-client'

export interface BatchInput {
  id: string
  url: string
  megapixels: number
}

export interface ThroughputRun {
  workers: number
  ms: number
  filesPerSec: number
  megapixelsPerSec: number
  done: number
  failed: { name: string; code: string }[]
}

export interface ThroughputReport {
  /** `processor`: through createProcessor with poolSize; `workers`: N workers fed directly. */
  mode: 'processor' | 'workers'
  /** Why the processor was not used, when it was not. */
  fallbackReason: string | null
  files: number
  megapixels: number
  runs: ThroughputRun[]
  /**
   * The same batch through bare workers, when `runs` went through the processor: the gap
   * between the two is what intake, hashing, IndexedDB and scheduling cost.
   */
  directRuns: ThroughputRun[]
  error: { code: string; message: string } | null
}

/**
 * Processes the same batch with 1, 2, … workers, each pool warmed up before the clock starts;
 * with `bare`, also through bare workers to show what the processor adds.
 */
export async function throughput(
  inputs: readonly BatchInput[],
  workerCounts: readonly number[],
  timeoutMs: number,
  bare: boolean,
): Promise<ThroughputReport> {
  const buffers = await Promise.all(
    inputs.map(async (input) => (await fetch(input.url)).arrayBuffer()),
  )
  const megapixels = inputs.reduce((sum, input) => sum + input.megapixels, 0)
  const factory = await loadProcessorFactory()
  const report: ThroughputReport = {
    mode: typeof factory === 'string' ? 'workers' : 'processor',
    fallbackReason: typeof factory === 'string' ? factory : null,
    files: inputs.length,
    megapixels,
    runs: [],
    directRuns: [],
    error: null,
  }
  const stamp = Date.now().toString(36)
  const record = (workers: number, outcome: Awaited<ReturnType<typeof directBatch>>) => ({
    workers,
    ms: outcome.ms,
    filesPerSec: (outcome.done * 1000) / outcome.ms,
    megapixelsPerSec: (megapixels * (outcome.done / inputs.length) * 1000) / outcome.ms,
    done: outcome.done,
    failed: outcome.failed,
  })
  try {
    for (const workers of workerCounts) {
      const files = inputs.map((input, index) => new File([buffers[index]!], input.id))
      const warmUp = await syntheticJpegs(workers, 96, 64, `warm-${workers}-${stamp}`)
      if (typeof factory === 'string' || bare) {
        const direct = await directBatch(workers, warmUp, files, timeoutMs)
        if (typeof factory === 'string') {
          report.runs.push(record(workers, direct))
          continue
        }
        report.directRuns.push(record(workers, direct))
      }
      const options = {
        tenant: `bench-pool${workers}`,
        dbName: `quire-bench-${stamp}-pool${workers}`,
        poolSize: workers,
      }
      const outcome = await withProcessor(factory, options, async (processor) => {
        await runBatch(processor, warmUp, timeoutMs)
        return runBatch(processor, files, timeoutMs)
      })
      report.runs.push(record(workers, outcome))
    }
  } catch (error) {
    report.error = describeError(error)
  }
  return report
}

/**
 * The pool's job without the pool: `count` workers, one job each at a time, taking the next
 * file from a shared queue. Used while web/jobs/processor.ts is not available.
 */
export async function directBatch(
  count: number,
  warmUp: readonly File[],
  files: readonly File[],
  timeoutMs: number,
): Promise<{ ms: number; done: number; failed: { name: string; code: string }[] }> {
  const workers: BenchWorker[] = Array.from({ length: count }, () => spawnWorker())
  const options = processOptions()
  const failed: { name: string; code: string }[] = []
  try {
    await Promise.all(
      workers.map(async (worker, index) => {
        const file = warmUp[index % warmUp.length]!
        const bytes = await file.arrayBuffer()
        await worker.api.process(bytes, options).catch(() => undefined)
      }),
    )
    let next = 0
    let done = 0
    const start = performance.now()
    const drain = async (worker: BenchWorker) => {
      while (next < files.length) {
        const file = files[next++]!
        const bytes = await file.arrayBuffer()
        try {
          await worker.api.process(bytes, options)
          done += 1
        } catch (error) {
          failed.push({ name: file.name, code: describeError(error).code })
        }
      }
    }
    let timer: ReturnType<typeof setTimeout> | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`the batch did not finish within ${timeoutMs} ms`)),
        timeoutMs,
      )
    })
    await Promise.race([Promise.all(workers.map(drain)), timeout]).finally(() =>
      clearTimeout(timer),
    )
    return { ms: performance.now() - start, done, failed }
  } finally {
    for (const worker of workers) worker.close()
  }
}
