// Command-line options of `npm run bench`. Pure: takes argv and the core count, returns a plan.
import { parseArgs as parseNodeArgs } from 'node:util'

export const USAGE = `Usage: npm run bench [-- options]

  --quick          small input set and fewer repeats (under two minutes)
  --repeats N      timed runs per input after one warm-up (quick 3, full 7)
  --workers N      largest pool size in the scaling run (default: cores, at least 2)
  --batch N        files in the throughput batch (quick 60, full 120)
  --long-task-files N
                   files in the main-thread batches (app page, processor) (100)
  --skip-edge      do not run bench/edge/load.mjs in the full run
  --help           this text`

/**
 * Parses the benchmark's arguments into a complete plan.
 *
 * @param {readonly string[]} argv arguments after the script name
 * @param {number} cores logical cores of this machine
 * @returns {import('./args.d.mts').BenchPlan}
 * @throws {Error} with a message naming the option and the value that broke it
 */
export function parseArgs(argv, cores) {
  const { values, positionals } = parseNodeArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      quick: { type: 'boolean', default: false },
      repeats: { type: 'string' },
      workers: { type: 'string' },
      batch: { type: 'string' },
      'long-task-files': { type: 'string' },
      'skip-edge': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
  if (positionals.length > 0) {
    throw new Error(`unexpected argument ${JSON.stringify(positionals[0])}; see --help`)
  }
  const quick = values.quick
  return {
    mode: quick ? 'quick' : 'full',
    help: values.help,
    repeats: positiveInt('--repeats', values.repeats, quick ? 3 : 7),
    maxWorkers: positiveInt('--workers', values.workers, Math.max(2, cores)),
    batch: positiveInt('--batch', values.batch, quick ? 60 : 120),
    longTaskFiles: positiveInt('--long-task-files', values['long-task-files'], 100),
    edge: !quick && !values['skip-edge'],
  }
}

/** Pool sizes to measure: 1, 2, …, max. */
export function workerCounts(max) {
  return Array.from({ length: max }, (_, index) => index + 1)
}

function positiveInt(name, raw, fallback) {
  if (raw === undefined) return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${name} must be a whole number ≥ 1, got ${JSON.stringify(raw)}`)
  }
  return value
}
