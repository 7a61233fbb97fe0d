import { describe, expect, it } from 'vitest'
import { topCulprits } from '../../bench/lib/culprits.mjs'

const script = (sourceFunctionName: string, duration: number, invoker = 'Worker.onmessage') => ({
  invokerType: 'event-listener',
  invoker,
  sourceFunctionName,
  sourceURL: 'http://127.0.0.1:1234/assets/index-abc.js',
  sourceCharPosition: 42,
  duration,
})

describe('topCulprits', () => {
  it('sums each script over frames and lists the heaviest first', () => {
    const culprits = topCulprits([script('a', 10), script('b', 30), script('a', 25)])

    expect(culprits).toEqual([
      {
        script: 'event-listener Worker.onmessage → a (index-abc.js:42)',
        count: 2,
        totalMs: 35,
        maxMs: 25,
      },
      {
        script: 'event-listener Worker.onmessage → b (index-abc.js:42)',
        count: 1,
        totalMs: 30,
        maxMs: 30,
      },
    ])
  })

  it('names anonymous functions and keeps only the first few', () => {
    const many = Array.from({ length: 8 }, (_, index) => script('', index + 1, `invoker${index}`))

    const culprits = topCulprits(many, 3)

    expect(culprits.map((culprit) => culprit.totalMs)).toEqual([8, 7, 6])
    expect(culprits[0]?.script).toContain('(anonymous)')
  })
})
