import { describeError } from './worker-client'
import { pageHeapBytes, uaMemory } from './memory'
import { deleteDatabase, loadProcessorFactory, runBatch } from './processor'
import { syntheticJpegs } from './synthetic'
import { watchLongFrames } from './culprits'
import { directBatch } from './throughput'
import type { Culprit } from './culprits'
import type { UaMemory } from './memory'
import type { BenchProcessorOptions } from './processor'

export interface LongTaskReport {
  mode: 'processor' | 'workers'
  fallbackReason: string | null
  files: number
  done: number
  failed: number
  batchMs: number | null
  supported: boolean
  count: number
  maxMs: number | null
  totalMs: number
  /** Long animation frames (over 50 ms) and the scripts that ran most in them. */
  longFrames: { supported: boolean; count: number; longestMs: number; culprits: Culprit[] }
  heap: {
    baselineBytes: number | null
    afterBatchBytes: number | null
    afterIdleBytes: number | null
  }
  uaMemory: { baseline: UaMemory | null; afterBatch: UaMemory | null; afterIdle: UaMemory | null }
  idleWaitMs: number
  /** The pool's idle timeout in this batch; null means its default. */
  idleTimeoutMs: number | null
  error: { code: string; message: string } | null
}

/**
 * Processes `count` small generated JPEGs through the processor while a PerformanceObserver
 * records main-thread long tasks, and reads the heap before, right after, and after the
 * pool has been idle for `idleWaitMs`.
 */
export async function longTasks(
  count: number,
  poolSize: number | null,
  idleTimeoutMs: number | null,
  idleWaitMs: number,
  timeoutMs: number,
): Promise<LongTaskReport> {
  const stamp = Date.now().toString(36)
  const files = await syntheticJpegs(count, 640, 480, `batch-${stamp}`)
  const factory = await loadProcessorFactory()
  const supported = PerformanceObserver.supportedEntryTypes.includes('longtask')
  const report: LongTaskReport = {
    mode: typeof factory === 'string' ? 'workers' : 'processor',
    fallbackReason: typeof factory === 'string' ? factory : null,
    files: count,
    done: 0,
    failed: 0,
    batchMs: null,
    supported,
    count: 0,
    maxMs: null,
    totalMs: 0,
    longFrames: { supported: false, count: 0, longestMs: 0, culprits: [] },
    heap: { baselineBytes: null, afterBatchBytes: null, afterIdleBytes: null },
    uaMemory: { baseline: null, afterBatch: null, afterIdle: null },
    idleWaitMs,
    idleTimeoutMs,
    error: null,
  }
  report.heap.baselineBytes = await pageHeapBytes()
  report.uaMemory.baseline = await uaMemory()

  const durations: number[] = []
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) durations.push(entry.duration)
  })
  if (supported) observer.observe({ type: 'longtask' })
  const frames = watchLongFrames()
  // The pool size the app would pick unless the caller names one.
  const defaultSize = Math.max(1, navigator.hardwareConcurrency - 1)
  const options: BenchProcessorOptions = {
    tenant: 'bench-batch',
    dbName: `quire-bench-${stamp}-batch`,
    ...(poolSize !== null && { poolSize }),
    ...(idleTimeoutMs !== null && { idleTimeoutMs }),
  }
  const processor = typeof factory === 'string' ? null : await factory(options)
  try {
    const outcome = processor
      ? await runBatch(processor, files, timeoutMs)
      : await directBatch(poolSize ?? defaultSize, files.slice(0, 1), files, timeoutMs)
    report.batchMs = outcome.ms
    report.done = outcome.done
    report.failed = outcome.failed.length
    await new Promise((resolve) => setTimeout(resolve, 100))
    for (const entry of observer.takeRecords()) durations.push(entry.duration)
    observer.disconnect()
    const long = frames.stop()
    report.longFrames = {
      supported: frames.supported,
      count: long.frames,
      longestMs: long.longestMs,
      culprits: long.culprits,
    }
    report.count = durations.length
    report.maxMs = supported ? Math.max(0, ...durations) : null
    report.totalMs = durations.reduce((sum, ms) => sum + ms, 0)

    report.heap.afterBatchBytes = await pageHeapBytes()
    report.uaMemory.afterBatch = await uaMemory()
    await new Promise((resolve) => setTimeout(resolve, idleWaitMs))
    report.heap.afterIdleBytes = await pageHeapBytes()
    report.uaMemory.afterIdle = await uaMemory()
  } catch (error) {
    report.error = describeError(error)
  } finally {
    observer.disconnect()
    if (processor) {
      await processor.close()
      await deleteDatabase(options.dbName)
    }
  }
  return report
}
