// Turns one run's raw measurements into ratios, target verdicts, flat figures and the text
// report printed on stdout.
import {
  formatBytes,
  formatMs,
  formatRate,
  formatRatio,
  formatVerdict,
  renderTable,
} from './format.mjs'
import { ratio, summarize } from './stats.mjs'
import { edgeLatencies, edgeScenarios, evaluateTargets } from './targets.mjs'

const STAGE_ORDER = [
  'sniff',
  'hash',
  'dispatch',
  'decode',
  'orient',
  'resize',
  'encode',
  'open',
  'render',
  'text',
  'open+render',
  'open+text',
  'total',
]

/**
 * @param {object} raw what run.mjs measured: plan, inputs, native, page, edge
 * @param {string} thumbId input id the thumbnail target is judged on
 */
export function summarizeRun(raw, thumbId) {
  const stages = {}
  for (const report of raw.page?.stages ?? []) {
    const summaries = {}
    const names = Object.keys(report.samples).sort(
      (a, b) => rank(a) - rank(b) || a.localeCompare(b),
    )
    for (const name of names) summaries[name] = summarize(report.samples[name])
    stages[report.id] = { ...report, summaries }
  }
  const native = raw.native?.results ?? {}
  const median = (summary) => summary?.median ?? null

  const thumb = {
    id: thumbId,
    quireMs: median(stages[thumbId]?.summaries.total),
    nativePerCoreMs: median(native[thumbId]?.thumbnailPerCoreMs),
    nativeMs: median(native[thumbId]?.thumbnailMs),
  }
  thumb.ratio = ratio(thumb.quireMs, thumb.nativePerCoreMs)
  thumb.ratioAllThreads = ratio(thumb.quireMs, thumb.nativeMs)

  const images = []
  const pdfs = []
  for (const input of raw.inputs ?? []) {
    const quire = stages[input.id]?.summaries
    if (input.kind === 'image') {
      const quireMs = median(quire?.total)
      const nativeMs = median(native[input.id]?.thumbnailPerCoreMs)
      images.push({ id: input.id, quireMs, nativeMs, ratio: ratio(quireMs, nativeMs) })
    } else {
      const page1Ms = median(quire?.['open+render'])
      const textMs = median(quire?.['open+text'])
      const nativePage1Ms = median(native[input.id]?.page1Ms)
      const nativeTextMs = median(native[input.id]?.textMs)
      pdfs.push({
        id: input.id,
        page1Ms,
        nativePage1Ms,
        page1Ratio: ratio(page1Ms, nativePage1Ms),
        textMs,
        nativeTextMs,
        textRatio: ratio(textMs, nativeTextMs),
        textTruncated: stages[input.id]?.output?.textTruncated === true,
      })
    }
  }
  const worst = (values) => {
    const known = values.filter((value) => value != null)
    return known.length === 0 ? null : Math.max(...known)
  }

  const runs = raw.page?.throughput?.runs ?? []
  const rate = (workers) => runs.find((run) => run.workers === workers)?.filesPerSec ?? null
  const poolScaling = ratio(rate(2), rate(1))

  // The page targets are judged on the app page when its batch ran, else on the processor
  // alone in the bench page.
  const longTasks = raw.page?.longTasks ?? null
  const app = raw.page?.appBatch ?? null
  const appValid = app != null && !app.error && (app.states?.done ?? 0) > 0
  const longTasksValid = longTasks != null && !longTasks.error && longTasks.done > 0
  const judged = appValid ? app : longTasksValid ? longTasks : null
  const pageSource = appValid ? 'app page' : longTasksValid ? 'processor only' : 'not measured'
  const heapBaseline = judged?.heap.baselineBytes ?? null
  const heapAfter = judged?.heap.afterIdleBytes ?? null
  const edge = raw.edge?.json ? edgeLatencies(raw.edge.json) : {}

  const targets = evaluateTargets({
    thumbRatio: thumb.ratio,
    poolScaling,
    pdfPage1Ratio: worst(pdfs.map((pdf) => pdf.page1Ratio)),
    pdfTextRatio: worst(pdfs.map((pdf) => pdf.textRatio)),
    longTaskMaxMs: judged?.maxMs ?? null,
    heapBaselineBytes: heapBaseline,
    heapAfterBytes: heapAfter,
    pageSource,
    heapDeltaBytes: heapBaseline != null && heapAfter != null ? heapAfter - heapBaseline : null,
    edge,
  })

  return {
    stages,
    ratios: { thumb, images, pdfs, poolScaling },
    targets,
    figures: flatFigures({
      stages,
      native,
      runs,
      directRuns: raw.page?.throughput?.directRuns ?? [],
      thumb,
      pdfs,
      poolScaling,
      longTasks,
      app,
      edge,
    }),
  }
}

function rank(stage) {
  const index = STAGE_ORDER.indexOf(stage)
  return index === -1 ? STAGE_ORDER.length - 1 : index
}

function flatFigures({
  stages,
  native,
  runs,
  directRuns,
  thumb,
  pdfs,
  poolScaling,
  longTasks,
  app,
  edge,
}) {
  const figures = {}
  const put = (key, value) => {
    if (value != null && Number.isFinite(value)) figures[key] = value
  }
  for (const [id, report] of Object.entries(stages)) {
    put(`quire.${id}.coldMs`, report.coldMs)
    put(`quire.${id}.peakWorkerBytes`, report.peakWorkerBytes)
    for (const [stage, summary] of Object.entries(report.summaries)) {
      put(`quire.${id}.${stage}.minMs`, summary?.min)
      put(`quire.${id}.${stage}.medianMs`, summary?.median)
    }
  }
  for (const [id, entry] of Object.entries(native)) {
    for (const key of ['thumbnailMs', 'thumbnailPerCoreMs', 'page1Ms', 'textMs']) {
      put(`native.${id}.${key.replace(/Ms$/, '')}.minMs`, entry[key]?.min)
      put(`native.${id}.${key.replace(/Ms$/, '')}.medianMs`, entry[key]?.median)
    }
  }
  for (const run of directRuns) {
    put(`throughput.bare${run.workers}.filesPerSec`, run.filesPerSec)
  }
  for (const run of runs) {
    put(`throughput.workers${run.workers}.filesPerSec`, run.filesPerSec)
    put(`throughput.workers${run.workers}.megapixelsPerSec`, run.megapixelsPerSec)
  }
  put('ratio.thumb12mp', thumb.ratio)
  for (const pdf of pdfs) {
    put(`ratio.pdfPage1.${pdf.id}`, pdf.page1Ratio)
    put(`ratio.pdfText.${pdf.id}`, pdf.textRatio)
  }
  put('ratio.poolScaling', poolScaling)
  put('longTasks.count', longTasks?.count)
  put('longTasks.maxMs', longTasks?.maxMs)
  put('heap.baselineBytes', longTasks?.heap.baselineBytes)
  put('heap.afterIdleBytes', longTasks?.heap.afterIdleBytes)
  put('app.longTasks.count', app?.count)
  put('app.longTasks.maxMs', app?.maxMs)
  put('app.heap.baselineBytes', app?.heap?.baselineBytes)
  put('app.heap.afterIdleBytes', app?.heap?.afterIdleBytes)
  put('edge.readP99Ms', edge.readP99)
  put('edge.writeP99Ms', edge.writeP99)
  put('edge.searchP99Ms', edge.searchP99)
  return figures
}

/** The whole stdout report. */
export function renderReport(raw, summary) {
  const out = []
  const section = (title, body) => out.push('', `== ${title}`, body)
  const page = raw.page ?? {}
  const env = page.environment ?? {}

  out.push(
    `Quire benchmark, ${raw.plan.mode} run, ${raw.startedAt}`,
    `machine: ${raw.machine.cpus} × ${raw.machine.cpuModel}, ${formatBytes(raw.machine.memoryBytes)}; ` +
      `node ${raw.machine.node}; ${env.userAgent ?? 'browser not started'}`,
    `load average (1 min) at start ${raw.machine.loadAtStart?.toFixed(2) ?? 'n/a'}, ` +
      `at end ${raw.machine.loadAtEnd?.toFixed(2) ?? 'n/a'}: other work on this machine ` +
      'skews every figure; compare within one run only',
    `inputs: ${raw.inputSource}; native: libvips ${raw.native?.versions?.libvips ?? 'n/a'}, ` +
      `poppler ${raw.native?.versions?.poppler ?? 'n/a'}; ${raw.plan.repeats} timed runs after one warm-up`,
  )

  const stageRows = [['input', 'size', 'stage', 'min', 'median', 'n', 'note']]
  for (const input of raw.inputs) {
    const report = summary.stages[input.id]
    const size =
      input.kind === 'pdf'
        ? `${input.pages ?? '?'} pages`
        : `${input.megapixels?.toFixed(1) ?? '?'} MP`
    if (!report || report.error) {
      const reason = report?.error
        ? `${report.error.code}: ${report.error.message}`
        : 'not measured'
      stageRows.push([input.id, size, '-', 'n/a', 'n/a', '0', reason])
      continue
    }
    stageRows.push([
      input.id,
      size,
      'cold',
      formatMs(report.coldMs),
      '',
      '1',
      'first call, fresh worker',
    ])
    for (const [stage, stats] of Object.entries(report.summaries)) {
      stageRows.push([
        '',
        '',
        stage,
        formatMs(stats?.min),
        formatMs(stats?.median),
        String(stats?.n ?? 0),
        '',
      ])
    }
    const missing = expectedStages(input.kind).filter((stage) => !report.summaries[stage])
    if (missing.length > 0)
      stageRows.push(['', '', '', '', '', '', `no progress for: ${missing.join(', ')}`])
  }
  section(
    'Quire stages (page: sniff, hash; worker: from progress messages)',
    renderTable(stageRows),
  )

  const nativeRows = [['input', 'reference', 'min', 'median', 'note']]
  for (const input of raw.inputs) {
    const entry = raw.native?.results?.[input.id]
    if (!entry) continue
    if (entry.error) nativeRows.push([input.id, '-', 'n/a', 'n/a', entry.error])
    const rows = [
      ['vipsthumbnail 256 webp', entry.thumbnailMs],
      ['  same, 1 thread', entry.thumbnailPerCoreMs],
      ['pdftoppm page 1, 256 png', entry.page1Ms],
      ['pdftotext all pages', entry.textMs],
    ]
    for (const [label, stats] of rows) {
      if (stats) nativeRows.push([input.id, label, formatMs(stats.min), formatMs(stats.median), ''])
    }
  }
  section('Native references (wall time of one process)', renderTable(nativeRows))

  const { thumb, images, pdfs, poolScaling } = summary.ratios
  const ratioRows = [['what', 'Quire', 'native', 'Quire/native']]
  ratioRows.push([
    `thumbnail ${thumb.id} vs vipsthumbnail, 1 thread`,
    formatMs(thumb.quireMs),
    formatMs(thumb.nativePerCoreMs),
    formatRatio(thumb.ratio),
  ])
  ratioRows.push([
    `thumbnail ${thumb.id} vs vipsthumbnail, all threads`,
    formatMs(thumb.quireMs),
    formatMs(thumb.nativeMs),
    formatRatio(thumb.ratioAllThreads),
  ])
  for (const image of images.filter((image) => image.id !== thumb.id)) {
    ratioRows.push([
      `thumbnail ${image.id} vs vipsthumbnail, 1 thread`,
      formatMs(image.quireMs),
      formatMs(image.nativeMs),
      formatRatio(image.ratio),
    ])
  }
  for (const pdf of pdfs) {
    ratioRows.push([
      `page-1 thumbnail ${pdf.id} vs pdftoppm`,
      formatMs(pdf.page1Ms),
      formatMs(pdf.nativePage1Ms),
      formatRatio(pdf.page1Ratio),
    ])
    const note = pdf.textTruncated ? ' (Quire text capped)' : ''
    ratioRows.push([
      `full text ${pdf.id} vs pdftotext${note}`,
      formatMs(pdf.textMs),
      formatMs(pdf.nativeTextMs),
      formatRatio(pdf.textRatio),
    ])
  }
  section(
    'Ratios (medians; Quire = whole worker job for images, open+render / open+text for PDFs)',
    renderTable(ratioRows),
  )

  const throughput = page.throughput
  if (throughput) {
    const rows = [['workers', 'time', 'files/s', 'MP/s', 'failed']]
    const row = (label, run) =>
      rows.push([
        label,
        formatMs(run.ms),
        formatRate(run.filesPerSec, 'files/s'),
        formatRate(run.megapixelsPerSec, 'MP/s'),
        failures(run.failed),
      ])
    for (const run of throughput.runs) row(String(run.workers), run)
    const direct = throughput.directRuns ?? []
    for (const run of direct) row(`${run.workers} bare`, run)
    const bareRate = (workers) => direct.find((run) => run.workers === workers)?.filesPerSec
    const bareScaling =
      direct.length > 0 ? `; bare workers: ${formatRatio(ratio(bareRate(2), bareRate(1)))}` : ''
    const how =
      throughput.mode === 'processor'
        ? 'createProcessor({ poolSize }); "bare" = the same workers fed directly'
        : `direct workers (${throughput.fallbackReason})`
    const error = throughput.error
      ? `\nerror: ${throughput.error.code}: ${throughput.error.message}`
      : ''
    section(
      `Throughput: ${throughput.files} files, ${throughput.megapixels.toFixed(1)} MP, through ${how}`,
      `${renderTable(rows)}\npool scaling, 2 workers / 1: ${formatRatio(poolScaling)}${bareScaling}${error}`,
    )
  }

  const memoryRows = [['input', 'peak worker memory (sampled)']]
  for (const [id, report] of Object.entries(summary.stages)) {
    const note =
      report.peakWorkerBytes == null
        ? `unavailable: ${env.uaMemory ?? 'not measured'}`
        : `${formatBytes(report.peakWorkerBytes)} (${report.memorySamples} samples)`
    memoryRows.push([id, note])
  }
  section('Worker memory (performance.measureUserAgentSpecificMemory)', renderTable(memoryRows))

  const longTasks = page.longTasks
  if (longTasks) {
    const how =
      longTasks.mode === 'processor'
        ? 'createProcessor'
        : `direct workers (${longTasks.fallbackReason})`
    const head = `${longTasks.files} generated 640×480 JPEGs through ${how}: ${longTasks.done} done, ${longTasks.failed} failed in ${formatMs(longTasks.batchMs)}`
    section('Main thread during a batch, processor only (bench page)', batchLines(head, longTasks))
  }

  const app = page.appBatch
  if (app) {
    const states = Object.entries(app.states ?? {})
      .map(([state, count]) => `${count} ${state}`)
      .join(', ')
    const head = app.error
      ? 'the batch did not finish'
      : `${app.files} 640×480 JPEG crops dropped into the file input: ${states} in ${formatMs(app.batchMs)}`
    section('Main thread during a batch, the app page (web/, no API)', batchLines(head, app))
  }

  if (raw.edge) {
    let body = `unavailable: ${raw.edge.error}`
    if (raw.edge.json) {
      const rows = [['scenario', 'req/s', 'p50', 'p99', 'ok']]
      for (const row of edgeScenarios(raw.edge.json)) {
        const ok = row.ok != null && row.sent != null ? `${row.ok}/${row.sent}` : ''
        rows.push([
          row.name,
          String(row.requestsPerSecond ?? ''),
          formatMs(row.p50),
          formatMs(row.p99),
          ok,
        ])
      }
      const seeded = raw.edge.json.seed?.documents
      body = `${seeded != null ? `seeded tenant: ${seeded} documents\n` : ''}${renderTable(rows)}`
    }
    section('Edge load test (bench/edge/load.mjs → bench-results/edge.json)', body)
  }

  const targetRows = [['target', 'value', 'limit', 'verdict']]
  for (const target of summary.targets) {
    targetRows.push([target.label, formatValue(target), target.limit, formatVerdict(target.met)])
  }
  section('Targets of issue 7', renderTable(targetRows))

  if (raw.notes.length > 0)
    section('Not available in this run', raw.notes.map((note) => `- ${note}`).join('\n'))
  return out.join('\n')
}

/** The lines of a batch section: long tasks, long animation frames and memory. */
function batchLines(head, batch) {
  const lines = [`batch: ${head}`]
  if (batch.error)
    return [...lines, `error: ${batch.error.code}: ${batch.error.message}`].join('\n')
  lines.push(
    batch.supported === false
      ? 'long tasks: PerformanceObserver "longtask" is not supported here'
      : `long tasks (> 50 ms): ${batch.count}, longest ${formatMs(batch.maxMs)}, total ${formatMs(batch.totalMs)}`,
    `JS heap (performance.memory, after GC): baseline ${formatBytes(batch.heap.baselineBytes)}, ` +
      `after batch ${formatBytes(batch.heap.afterBatchBytes)}, ` +
      `after ${formatMs(batch.idleWaitMs)} idle ${formatBytes(batch.heap.afterIdleBytes)}`,
  )
  const frames = batch.longFrames
  if (frames?.supported) {
    const none =
      frames.count > 0 && frames.culprits.length === 0 ? '; no script over 5 ms in them' : ''
    lines.push(
      `long animation frames (> 50 ms): ${frames.count}, longest ${formatMs(frames.longestMs)}${none}`,
    )
    for (const culprit of frames.culprits) {
      lines.push(
        `  ${formatMs(culprit.totalMs)} in ${culprit.count} (longest ${formatMs(culprit.maxMs)}): ${culprit.script}`,
      )
    }
  }
  const ua = batch.uaMemory
  if (ua?.baseline) {
    lines.push(
      `agent memory (page + workers): baseline ${formatBytes(ua.baseline.totalBytes)}, ` +
        `after batch ${formatBytes(ua.afterBatch?.totalBytes)} (workers ${formatBytes(ua.afterBatch?.workerBytes)}), ` +
        `after idle ${formatBytes(ua.afterIdle?.totalBytes)} (workers ${formatBytes(ua.afterIdle?.workerBytes)})`,
    )
  }
  return lines.join('\n')
}

function expectedStages(kind) {
  return kind === 'pdf' ? ['open', 'render', 'text'] : ['decode', 'orient', 'resize', 'encode']
}

function failures(failed) {
  if (failed.length === 0) return '0'
  const codes = [...new Set(failed.map((item) => item.code))].join(', ')
  return `${failed.length} (${codes})`
}

function formatValue(target) {
  if (target.unit === 'ratio') return formatRatio(target.value)
  if (target.unit === 'ms') return formatMs(target.value)
  if (target.value == null) return 'n/a'
  return `${target.value >= 0 ? '+' : ''}${formatBytes(target.value)}`
}
