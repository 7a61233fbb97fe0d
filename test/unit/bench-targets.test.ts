import { describe, expect, it } from 'vitest'
import {
  edgeLatencies,
  edgeScenarios,
  evaluateTargets,
  heapReturned,
} from '../../bench/lib/targets.mjs'

const verdicts = (figures: Parameters<typeof evaluateTargets>[0]) =>
  Object.fromEntries(evaluateTargets(figures).map((target) => [target.id, target.met]))

describe('evaluateTargets', () => {
  it('judges each ratio against its limit, inclusive', () => {
    const met = verdicts({
      thumbRatio: 2,
      poolScaling: 1.8,
      pdfPage1Ratio: 3.01,
      pdfTextRatio: 0.7,
      longTaskMaxMs: 0,
    })

    expect(met).toMatchObject({
      'thumb-12mp': true,
      'pool-scaling': true,
      'pdf-page1': false,
      'pdf-text': true,
      'long-tasks': true,
    })
  })

  it('never reports a target as met when its figure is missing', () => {
    const met = verdicts({})

    expect(Object.values(met).every((value) => value === null)).toBe(true)
  })

  it('needs edge p99 strictly under 20 ms for metadata and 50 ms for search', () => {
    const met = verdicts({ edge: { readP99: 19.9, writeP99: 20, searchP99: 49 } })

    expect(met).toMatchObject({ 'edge-read': true, 'edge-write': false, 'edge-search': true })
  })
})

describe('heapReturned', () => {
  it('allows 2 MiB or 10% above the baseline, whichever is larger', () => {
    const MiB = 1024 * 1024

    expect(heapReturned(10 * MiB, 12 * MiB)).toBe(true)
    expect(heapReturned(10 * MiB, 12.5 * MiB)).toBe(false)
    expect(heapReturned(100 * MiB, 109 * MiB)).toBe(true)
    expect(heapReturned(null, 1)).toBeNull()
  })
})

describe('edgeLatencies', () => {
  it('finds the worst read, write and search p99 wherever the load test nests them', () => {
    const json = {
      documents: 10000,
      scenarios: {
        'GET /v1/documents/:sha256': { p50: 2, p99: 7.5 },
        'PUT /v1/documents/:sha256': { latency: { p99: 11 } },
        search: { p99: 31 },
        'search-common-words': { p99: 45 },
      },
    }

    expect(edgeLatencies(json)).toEqual({ readP99: 7.5, writeP99: 11, searchP99: 45 })
  })

  it('leaves thumbnail reads and writes out of the metadata latencies', () => {
    const json = {
      'read-one-document': { p99: 5 },
      'read-thumbnail': { p99: 90 },
      'write-thumbnail': { p99: 80 },
    }

    expect(edgeLatencies(json)).toEqual({ readP99: 5, writeP99: null, searchP99: null })
  })

  it('judges a scenario with a paced run by that run, not by its saturated one', () => {
    const json = {
      scenarios: {
        'read-one-document': { p99: 80, paced: { p99: 12 } },
        'search-rare-word': { p99: 120, paced: { p99: 30 } },
      },
    }

    expect(edgeLatencies(json)).toEqual({ readP99: 12, writeP99: null, searchP99: 30 })
  })

  it('leaves a latency it cannot find as null', () => {
    expect(edgeLatencies({ read: { p99: 3 } })).toEqual({
      readP99: 3,
      writeP99: null,
      searchP99: null,
    })
  })
})

describe('edgeScenarios', () => {
  it('lists every scenario with a p99, named by its key', () => {
    const json = {
      seed: { documents: 10000 },
      scenarios: {
        'read-one-document': { p50: 3, p99: 9, requestsPerSecond: 800, ok: 3000, sent: 3000 },
        'search-seeded-tenant': { p99: 30 },
      },
    }

    expect(edgeScenarios(json)).toEqual([
      { name: 'read-one-document', p50: 3, p99: 9, requestsPerSecond: 800, ok: 3000, sent: 3000 },
      {
        name: 'search-seeded-tenant',
        p50: null,
        p99: 30,
        requestsPerSecond: null,
        ok: null,
        sent: null,
      },
    ])
  })
})
