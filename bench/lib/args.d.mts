export interface BenchPlan {
  mode: 'quick' | 'full'
  help: boolean
  /** Timed runs per input after one warm-up. */
  repeats: number
  /** Largest pool size in the scaling run. */
  maxWorkers: number
  /** Files in the throughput batch. */
  batch: number
  /** Files in the long-task batch. */
  longTaskFiles: number
  /** Whether to run the edge load test. */
  edge: boolean
}

export const USAGE: string
export function parseArgs(argv: readonly string[], cores: number): BenchPlan
export function workerCounts(max: number): number[]
