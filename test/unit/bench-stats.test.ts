import { describe, expect, it } from 'vitest'
import { compareFigures, unitOf } from '../../bench/lib/figures.mjs'
import { collectStages, stageDurations } from '../../bench/lib/stages.mjs'
import { percentile, ratio, summarize } from '../../bench/lib/stats.mjs'

describe('summarize', () => {
  it('gives min, median, mean, p95 and max of unordered samples', () => {
    const summary = summarize([30, 10, 20, 40])

    expect(summary).toEqual({ n: 4, min: 10, median: 25, mean: 25, p95: 38.5, max: 40 })
  })

  it('takes the middle value as the median of an odd count', () => {
    expect(summarize([5, 1, 3])?.median).toBe(3)
  })

  it('ignores samples that are not finite numbers', () => {
    expect(summarize([Number.NaN, 4, Number.POSITIVE_INFINITY])).toMatchObject({ n: 1, min: 4 })
  })

  it('returns null for no samples', () => {
    expect(summarize([])).toBeNull()
  })
})

describe('percentile', () => {
  it('interpolates between ranks', () => {
    expect(percentile([0, 10], 25)).toBe(2.5)
    expect(percentile([1, 2, 3, 4, 5], 100)).toBe(5)
    expect(percentile([1, 2, 3, 4, 5], 0)).toBe(1)
  })

  it('rejects a percentile outside 0…100', () => {
    expect(() => percentile([1], 101)).toThrow(RangeError)
  })
})

describe('ratio', () => {
  it('divides two known figures', () => {
    expect(ratio(300, 150)).toBe(2)
  })

  it('returns null when a side is missing or the denominator is not positive', () => {
    expect(ratio(null, 1)).toBeNull()
    expect(ratio(1, undefined)).toBeNull()
    expect(ratio(1, 0)).toBeNull()
    expect(ratio(Number.NaN, 1)).toBeNull()
  })
})

describe('stageDurations', () => {
  it('runs each stage from its first mark to the next stage, the last one to the end', () => {
    const marks = [
      { stage: 'decode', t: 10 },
      { stage: 'decode', t: 30 },
      { stage: 'resize', t: 50 },
      { stage: 'encode', t: 80 },
    ]

    expect(stageDurations(marks, 4, 100)).toEqual({
      dispatch: 6,
      decode: 40,
      resize: 30,
      encode: 20,
    })
  })

  it('adds up a stage met twice', () => {
    const marks = [
      { stage: 'resize', t: 0 },
      { stage: 'encode', t: 10 },
      { stage: 'resize', t: 15 },
      { stage: 'encode', t: 40 },
    ]

    expect(stageDurations(marks, 0, 50)).toMatchObject({ resize: 35, encode: 15 })
  })

  it('counts the whole call as dispatch when no progress arrived', () => {
    expect(stageDurations([], 10, 25)).toEqual({ dispatch: 15 })
  })
})

describe('collectStages', () => {
  it('gathers one sample per run for each stage', () => {
    expect(
      collectStages([
        { decode: 1, total: 3 },
        { decode: 2, total: 4 },
      ]),
    ).toEqual({
      decode: [1, 2],
      total: [3, 4],
    })
  })
})

describe('compareFigures', () => {
  it('pairs the figures of two runs with the ratio later / earlier', () => {
    const rows = compareFigures({ 'a.medianMs': 100, 'b.count': 3 }, { 'a.medianMs': 150, c: 1 })

    expect(rows).toEqual([
      { key: 'a.medianMs', a: 100, b: 150, ratio: 1.5 },
      { key: 'b.count', a: 3, b: null, ratio: null },
      { key: 'c', a: null, b: 1, ratio: null },
    ])
  })

  it('reads the unit from the end of the key', () => {
    expect(unitOf('quire.x.total.medianMs')).toBe('ms')
    expect(unitOf('heap.baselineBytes')).toBe('bytes')
    expect(unitOf('ratio.poolScaling')).toBe('')
  })
})
