// The targets of issue 7 and how each is judged from one run's figures. Pure functions.

/** Heap counts as back at baseline within this many bytes or this share of the baseline. */
export const HEAP_TOLERANCE_BYTES = 2 * 1024 * 1024
export const HEAP_TOLERANCE_SHARE = 0.1

/**
 * Whether the heap after a batch is back at its baseline, within
 * max(HEAP_TOLERANCE_BYTES, HEAP_TOLERANCE_SHARE × baseline). Null when either is unknown.
 *
 * @param {number | null | undefined} baseline
 * @param {number | null | undefined} after
 */
export function heapReturned(baseline, after) {
  if (baseline == null || after == null) return null
  const slack = Math.max(HEAP_TOLERANCE_BYTES, HEAP_TOLERANCE_SHARE * baseline)
  return after <= baseline + slack
}

/**
 * Judges every target of issue 7. A target whose figure is missing is reported with
 * `met: null` and the reason, never as met.
 *
 * @param {import('./targets.d.mts').TargetInputs} figures
 * @returns {import('./targets.d.mts').TargetResult[]}
 */
export function evaluateTargets(figures) {
  const atMost = (value, limit) => (value == null ? null : value <= limit)
  const atLeast = (value, limit) => (value == null ? null : value >= limit)
  const below = (value, limit) => (value == null ? null : value < limit)
  const edge = figures.edge ?? {}
  const page = figures.pageSource ?? 'page'
  return [
    {
      id: 'thumb-12mp',
      label: 'Thumbnail of the 12 MP JPEG, Quire / vipsthumbnail per core',
      limit: '≤ 2×',
      value: figures.thumbRatio,
      unit: 'ratio',
      met: atMost(figures.thumbRatio, 2),
    },
    {
      id: 'pool-scaling',
      label: 'Throughput with 2 workers / 1 worker',
      limit: '≥ 1.8×',
      value: figures.poolScaling,
      unit: 'ratio',
      met: atLeast(figures.poolScaling, 1.8),
    },
    {
      id: 'pdf-page1',
      label: 'PDF page-1 thumbnail, Quire / pdftoppm',
      limit: '≤ 3×',
      value: figures.pdfPage1Ratio,
      unit: 'ratio',
      met: atMost(figures.pdfPage1Ratio, 3),
    },
    {
      id: 'pdf-text',
      label: 'PDF full text, Quire / pdftotext',
      limit: '≤ 3×',
      value: figures.pdfTextRatio,
      unit: 'ratio',
      met: atMost(figures.pdfTextRatio, 3),
    },
    {
      id: 'long-tasks',
      label: `Longest main-thread task during the 100-file batch (${page})`,
      limit: '≤ 50 ms',
      value: figures.longTaskMaxMs,
      unit: 'ms',
      met: atMost(figures.longTaskMaxMs, 50),
    },
    {
      id: 'heap-baseline',
      label: `JS heap back at baseline after the batch (${page})`,
      limit: `≤ baseline + max(${HEAP_TOLERANCE_BYTES / 1048576} MiB, ${HEAP_TOLERANCE_SHARE * 100}%)`,
      value: figures.heapDeltaBytes,
      unit: 'bytes',
      met: heapReturned(figures.heapBaselineBytes, figures.heapAfterBytes),
    },
    {
      id: 'edge-read',
      label: 'Edge metadata read p99 (10,000 documents)',
      limit: '< 20 ms',
      value: edge.readP99,
      unit: 'ms',
      met: below(edge.readP99, 20),
    },
    {
      id: 'edge-write',
      label: 'Edge metadata write p99 (10,000 documents)',
      limit: '< 20 ms',
      value: edge.writeP99,
      unit: 'ms',
      met: below(edge.writeP99, 20),
    },
    {
      id: 'edge-search',
      label: 'Edge search p99 (10,000 documents)',
      limit: '< 50 ms',
      value: edge.searchP99,
      unit: 'ms',
      met: below(edge.searchP99, 50),
    },
  ]
}

/**
 * Every object holding a numeric `p99` in the edge load test's JSON, named by its path:
 * the rows of the edge table.
 *
 * @param {unknown} json
 * @returns {{ name: string, p50: number | null, p99: number, requestsPerSecond: number | null, ok: number | null, sent: number | null }[]}
 */
export function edgeScenarios(json) {
  const rows = []
  const visit = (value, path) => {
    if (value == null || typeof value !== 'object') return
    if (typeof value.p99 === 'number') {
      const number = (key) => (typeof value[key] === 'number' ? value[key] : null)
      rows.push({
        name: path.filter((key) => key !== 'scenarios').join('.') || '(top level)',
        p50: number('p50'),
        p99: value.p99,
        requestsPerSecond: number('requestsPerSecond'),
        ok: number('ok'),
        sent: number('sent'),
      })
    }
    for (const [key, child] of Object.entries(value)) visit(child, [...path, key])
  }
  visit(json, [])
  return rows
}

/**
 * Finds read, write and search p99 latencies (ms) in the edge load test's JSON, whatever its
 * nesting: any object holding a numeric `p99` is classified by the keys on its path
 * (read/get, write/put, search; thumbnail scenarios are left out). The worst p99 of each
 * class is kept. A scenario that also has a `paced` run is judged by that run alone: at
 * saturation the p99 measures the load tool's own queue.
 *
 * @param {unknown} json
 * @returns {{ readP99: number | null, writeP99: number | null, searchP99: number | null }}
 */
export function edgeLatencies(json) {
  const found = { readP99: null, writeP99: null, searchP99: null }
  const visit = (value, path) => {
    if (value == null || typeof value !== 'object') return
    if (typeof value.p99 === 'number' && typeof value.paced?.p99 !== 'number') {
      const where = path.join('.').toLowerCase()
      // Thumbnails are blobs, not metadata: their reads and writes have no target here.
      const slot = /thumbnail/.test(where)
        ? null
        : /search/.test(where)
          ? 'searchP99'
          : /write|put|upsert/.test(where)
            ? 'writeP99'
            : /read|get/.test(where)
              ? 'readP99'
              : null
      if (slot) found[slot] = Math.max(found[slot] ?? -Infinity, value.p99)
    }
    for (const [key, child] of Object.entries(value)) {
      if (key !== 'p99') visit(child, [...path, key])
    }
  }
  visit(json, [])
  return found
}
