import { describe, expect, it } from 'vitest'
import { parseArgs, workerCounts } from '../../bench/lib/args.mjs'

describe('parseArgs', () => {
  it('plans a full run by default, with the edge load test and pools up to the core count', () => {
    expect(parseArgs([], 4)).toEqual({
      mode: 'full',
      help: false,
      repeats: 7,
      maxWorkers: 4,
      batch: 120,
      longTaskFiles: 100,
      edge: true,
    })
  })

  it('plans a quick run with fewer repeats, a smaller batch and no edge test', () => {
    expect(parseArgs(['--quick'], 2)).toMatchObject({
      mode: 'quick',
      repeats: 3,
      batch: 60,
      edge: false,
    })
  })

  it('measures at least two workers on a one-core machine', () => {
    expect(parseArgs([], 1).maxWorkers).toBe(2)
  })

  it('takes explicit counts', () => {
    const plan = parseArgs(['--repeats', '5', '--workers=3', '--batch', '12', '--skip-edge'], 2)

    expect(plan).toMatchObject({ repeats: 5, maxWorkers: 3, batch: 12, edge: false })
  })

  it('rejects a count that is not a whole number of at least one, naming the option', () => {
    expect(() => parseArgs(['--repeats', '0'], 2)).toThrow(
      '--repeats must be a whole number ≥ 1, got "0"',
    )
    expect(() => parseArgs(['--workers', 'two'], 2)).toThrow('--workers')
  })

  it('rejects unknown options and stray arguments', () => {
    expect(() => parseArgs(['--fast'], 2)).toThrow()
    expect(() => parseArgs(['quick'], 2)).toThrow('unexpected argument "quick"')
  })
})

describe('workerCounts', () => {
  it('lists every pool size from one up to the maximum', () => {
    expect(workerCounts(3)).toEqual([1, 2, 3])
  })
})
