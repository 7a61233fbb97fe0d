import type { Job, Processor } from '../../web/jobs/job'

/** What the bench passes to `createProcessor` (see `ProcessorOptions` in web/jobs/processor.ts). */
export interface BenchProcessorOptions {
  tenant: string
  /** A fresh IndexedDB database per run, deleted afterwards. */
  dbName: string
  /** Omitted: the processor's own default (cores − 1). */
  poolSize?: number
  idleTimeoutMs?: number
}

type ProcessorFactory = (options: BenchProcessorOptions) => Processor | Promise<Processor>

// A glob instead of an import: the build still succeeds while web/jobs/processor.ts is not
// in the tree, and the bench reports it as unavailable.
const modules = import.meta.glob<{ createProcessor?: ProcessorFactory }>(
  '../../web/jobs/processor.ts',
)

/** The processor factory, or the reason it cannot be used. */
export async function loadProcessorFactory(): Promise<ProcessorFactory | string> {
  const load = Object.values(modules)[0]
  if (!load) return 'web/jobs/processor.ts is not in the tree yet'
  try {
    const module = await load()
    if (typeof module.createProcessor !== 'function') {
      return 'web/jobs/processor.ts does not export createProcessor'
    }
    return module.createProcessor
  } catch (error) {
    return `web/jobs/processor.ts failed to load: ${String(error)}`
  }
}

const FINAL = new Set<Job['state']>(['done', 'failed', 'cancelled'])

export interface BatchOutcome {
  ms: number
  done: number
  failed: { name: string; code: string }[]
}

/**
 * Adds files to a processor and resolves when each of their jobs is final. The clock runs
 * from the `add` call to the last final state seen by a subscriber.
 */
export async function runBatch(
  processor: Processor,
  files: readonly File[],
  timeoutMs: number,
): Promise<BatchOutcome> {
  let latest: readonly Job[] = []
  let wake = () => {}
  const unsubscribe = processor.subscribe((jobs) => {
    latest = jobs
    wake()
  })
  try {
    const start = performance.now()
    const added = await processor.add(files)
    const ids = new Set(added.map((job) => job.id))
    const deadline = start + timeoutMs
    for (;;) {
      const mine = latest.filter((job) => ids.has(job.id))
      if (mine.length === ids.size && mine.every((job) => FINAL.has(job.state))) {
        const end = performance.now()
        return {
          ms: end - start,
          done: mine.filter((job) => job.state === 'done').length,
          failed: mine
            .filter((job) => job.state !== 'done')
            .map((job) => ({ name: job.name, code: job.error?.code ?? job.state })),
        }
      }
      const left = deadline - performance.now()
      if (left <= 0) throw new Error(`the batch did not finish within ${timeoutMs} ms`)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 1000))
        wake = () => {
          clearTimeout(timer)
          resolve()
        }
      })
    }
  } finally {
    unsubscribe()
  }
}

/** Runs `work` with a fresh processor and deletes its IndexedDB database afterwards. */
export async function withProcessor<T>(
  factory: ProcessorFactory,
  options: BenchProcessorOptions,
  work: (processor: Processor) => Promise<T>,
): Promise<T> {
  const processor = await factory(options)
  try {
    return await work(processor)
  } finally {
    await processor.close()
    await deleteDatabase(options.dbName)
  }
}

export function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(name)
    request.onsuccess = () => resolve()
    request.onerror = () => resolve()
    request.onblocked = () => resolve()
  })
}
