// `npm run bench [-- --quick]`: Quire's pipeline in headless Chromium against libvips and
// poppler on the same files, in one run. See bench/README.md for what each figure means.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, totalmem } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright'
import { build } from 'vite'
import { USAGE, parseArgs, workerCounts } from './lib/args.mjs'
import { appBatch } from './lib/app-batch.mjs'
import { buildIsStale, markBuilt } from './lib/build-cache.mjs'
import { loadChromiumConfig } from './lib/chromium.mjs'
import { THUMB_TARGET_ID, prepareBatch, prepareInputs } from './lib/inputs.mjs'
import { clearNativeOutputs, ensureNativeTools, nativeCommands, timeOnce } from './lib/native.mjs'
import { renderReport, summarizeRun } from './lib/report.mjs'
import { startStaticServer } from './lib/server.mjs'
import { collectStages } from './lib/stages.mjs'
import { summarize } from './lib/stats.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const resultsDir = join(root, 'bench-results')
const siteDir = process.env.BENCH_OUT_DIR ?? join(resultsDir, 'site')
const appDir = join(resultsDir, 'app')
const began = performance.now()
const print = (line) => console.log(line)
const elapsed = () => `${((performance.now() - began) / 1000).toFixed(0)} s`

let plan
try {
  plan = parseArgs(process.argv.slice(2), cpus().length)
} catch (error) {
  console.error(`bench: ${error.message}\n\n${USAGE}`)
  process.exit(2)
}
if (plan.help) {
  console.log(USAGE)
  process.exit(0)
}

// Per-input budget for timed rounds: a long PDF gets fewer repeats rather than stalling the run.
const budgetMs = plan.mode === 'quick' ? 12_000 : 90_000
// The quick run keeps under two minutes on a busy machine: per-input rounds share what is
// left before this mark, keeping time in reserve for the throughput and app-page batches.
const QUICK_ROUNDS_END_MS = 70_000
const sectionTimeoutMs = plan.mode === 'quick' ? 90_000 : 900_000
// The quick run shortens the pool's idle timeout (10 s by default) so that "workers
// idle-terminated" can be checked without waiting; the full run keeps the default.
const idleTimeoutMs = plan.mode === 'quick' ? 1_500 : null
const idleWaitMs = plan.mode === 'quick' ? 3_000 : 12_000
// The app page keeps its pool's 10 s idle timeout in both runs.
const appIdleWaitMs = 12_000

const raw = {
  version: 1,
  plan,
  startedAt: new Date().toISOString(),
  machine: {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryBytes: totalmem(),
    node: process.version,
    loadAtStart: loadavg()[0],
  },
  inputSource: null,
  inputs: [],
  batch: [],
  native: null,
  page: {},
  edge: null,
  notes: [],
}

try {
  await main()
} catch (error) {
  console.error(`bench: stopped: ${error instanceof Error ? error.stack : error}`)
  process.exitCode = 1
}

async function main() {
  mkdirSync(resultsDir, { recursive: true })
  const tools = ensureNativeTools(print)
  raw.notes.push(...tools.notes)

  const corpusDir = join(root, '..', 'shared', 'corpus')
  const inputsDir = join(resultsDir, 'inputs')
  const prepared = prepareInputs({ corpusDir, inputsDir, quick: plan.mode === 'quick', print })
  raw.inputSource =
    prepared.source === 'corpus' ? `corpus (${corpusDir})` : `generated (${inputsDir})`
  raw.inputs = prepared.inputs
  const photo = raw.inputs.find((input) => input.id === THUMB_TARGET_ID)
  if (photo && tools.available.vipsheader) {
    raw.batch = prepareBatch({ photo, inputsDir, count: plan.batch, print })
  } else {
    raw.batch = raw.inputs.filter((input) => input.kind === 'image' && input.megapixels != null)
    raw.notes.push('batch crops need libvips; the throughput batch uses the image inputs instead')
  }

  raw.appFiles =
    photo && tools.available.vipsheader
      ? prepareBatch({
          photo,
          inputsDir,
          count: plan.longTaskFiles,
          print,
          width: 640,
          height: 480,
        })
      : []
  if (raw.appFiles.length === 0) {
    raw.notes.push('the app-page batch needs libvips to cut its 640×480 JPEGs; skipped')
  }

  raw.native = { versions: tools.versions, available: tools.available, results: {} }

  // Vite rebuilds only when the page, the worker tier or the app code changed since the last
  // bench build; the build itself is not what the bench measures.
  const shared = ['wasm', 'web', 'vite.config.ts', 'package-lock.json']
  await buildOnce(
    'bench page',
    siteDir,
    [...shared, 'bench/page', 'bench/lib', 'bench/vite.config.ts'],
    {
      configFile: join(root, 'bench', 'vite.config.ts'),
    },
  )
  // The real app, for the 100-file batch as a person sees it: built like `npm run build`,
  // but into bench-results/app rather than dist/.
  await buildOnce('app', appDir, [...shared, 'scripts/vite-precache.ts'], {
    configFile: join(root, 'vite.config.ts'),
    worker: { rolldownOptions: { checks: { bundlerTimings: false } } },
    build: {
      outDir: appDir,
      emptyOutDir: true,
      reportCompressedSize: false,
      rolldownOptions: { checks: { bundlerTimings: false } },
    },
  })

  const files = new Map()
  for (const input of [...raw.inputs, ...raw.batch]) files.set(`/inputs/${input.id}`, input.path)
  const server = await startStaticServer({ siteDir, files })
  const appServer = await startStaticServer({ siteDir: appDir, files: new Map(), noApi: true })
  const { CHROMIUM_ARGS, CHROMIUM_PATH } = await loadChromiumConfig(
    join(root, 'test', 'chromium.ts'),
  )
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      ...CHROMIUM_ARGS,
      '--enable-precise-memory-info',
      '--js-flags=--expose-gc',
      '--enable-blink-features=ForceEagerMeasureMemory',
      '--disable-background-timer-throttling',
      '--disable-renderer-backgrounding',
    ],
  })
  try {
    const page = await runPage(browser, server.origin)
    await runAppBatch(browser, appServer.origin)
    // The app-page batch is the one the targets are judged on; the quick run measures the
    // processor alone only when the app page could not be measured.
    const appOk = raw.page.appBatch != null && raw.page.appBatch.error == null
    if (plan.mode === 'full' || !appOk) await runProcessorBatch(page)
  } finally {
    await browser.close()
    await server.close()
    await appServer.close()
  }

  if (plan.edge) {
    runEdge()
  } else {
    const why = plan.mode === 'quick' ? 'runs in the full run only' : 'skipped (--skip-edge)'
    raw.notes.push(`edge load test: ${why}`)
  }

  const summary = summarizeRun(raw, THUMB_TARGET_ID)
  raw.finishedAt = new Date().toISOString()
  raw.machine.loadAtEnd = loadavg()[0]
  raw.elapsedMs = performance.now() - began
  const json = JSON.stringify(
    {
      ...raw,
      summary: { ratios: summary.ratios, targets: summary.targets, figures: summary.figures },
    },
    null,
    2,
  )
  const stamp = raw.startedAt.replace(/[:.]/g, '-')
  const file = join(resultsDir, `bench-${stamp}.json`)
  writeFileSync(file, `${json}\n`)
  writeFileSync(join(resultsDir, 'latest.json'), `${json}\n`)

  print(renderReport(raw, summary))
  print(
    `\nbench: ${plan.mode} run took ${elapsed()}; JSON in ${file} and bench-results/latest.json`,
  )
}

async function runPage(browser, origin) {
  const page = await browser.newPage()
  page.on('pageerror', (error) => raw.notes.push(`page error: ${error.message}`))
  await page.goto(`${origin}/`)
  await page.waitForFunction(() => window.quireBench !== undefined, null, { timeout: 30_000 })
  raw.page.environment = await page.evaluate(() => window.quireBench.environment())
  const env = raw.page.environment
  if (!env.crossOriginIsolated) raw.notes.push('the bench page is not cross-origin isolated')
  if (env.processor !== 'available') {
    raw.notes.push(`processor: ${env.processor}; throughput and the batch use direct workers`)
  }
  for (const key of ['uaMemory', 'performanceMemory', 'longTasks']) {
    if (env[key] !== 'available') raw.notes.push(`${key}: ${env[key]}`)
  }

  raw.page.stages = []
  const nativeDir = join(resultsDir, 'native-out')
  for (const [index, input] of raw.inputs.entries()) {
    print(`bench: ${input.id}, Quire and native runs in turn (${elapsed()})`)
    const left = QUICK_ROUNDS_END_MS - (performance.now() - began)
    const budget =
      plan.mode === 'quick' ? Math.min(budgetMs, left / (raw.inputs.length - index)) : budgetMs
    const { stages, native } = await measureInput(page, input, nativeDir, budget)
    raw.native.results[input.id] = native
    if (stages) raw.page.stages.push(stages)
    if (native.error) raw.notes.push(`native reference for ${input.id}: ${native.error}`)
    if (stages?.error) {
      raw.notes.push(`${input.id}: ${stages.error.code}: ${stages.error.message}`)
    }
  }
  clearNativeOutputs(nativeDir)

  print(`bench: throughput with ${workerCounts(plan.maxWorkers).join(', ')} workers (${elapsed()})`)
  raw.page.throughput = await guarded(page, 'throughput', () =>
    page.evaluate(
      ([batch, counts, timeout, bare]) =>
        window.quireBench.throughput(batch, counts, timeout, bare),
      [
        raw.batch.map((input) => ({
          id: input.id,
          url: `/inputs/${input.id}`,
          megapixels: input.megapixels ?? 0,
        })),
        workerCounts(plan.maxWorkers),
        sectionTimeoutMs,
        plan.mode === 'full',
      ],
    ),
  )
  if (raw.page.throughput?.error) {
    const { code, message } = raw.page.throughput.error
    raw.notes.push(`throughput: ${code}: ${message}`)
  }

  return page
}

/** The 100-file batch through `createProcessor` alone, in the bench page. */
async function runProcessorBatch(page) {
  print(`bench: ${plan.longTaskFiles}-file batch for long tasks and memory (${elapsed()})`)
  raw.page.longTasks = await guarded(page, 'long-task batch', () =>
    page.evaluate(
      ([count, idle, wait, timeout]) =>
        window.quireBench.longTasks(count, null, idle, wait, timeout),
      [plan.longTaskFiles, idleTimeoutMs, idleWaitMs, sectionTimeoutMs],
    ),
  )
  if (raw.page.longTasks?.error) {
    const { code, message } = raw.page.longTasks.error
    raw.notes.push(`long-task batch: ${code}: ${message}`)
  }
}

/** Builds with Vite into `outDir` unless nothing under `sources` changed since the last build. */
async function buildOnce(label, outDir, sources, config) {
  const started = Date.now()
  const skip = new Set([join(root, 'web', 'public')])
  if (
    !buildIsStale(
      outDir,
      sources.map((path) => join(root, path)),
      skip,
    )
  ) {
    print(`bench: the ${label} build is up to date`)
    return
  }
  print(`bench: building the ${label} (${elapsed()})`)
  process.env.BENCH_OUT_DIR = siteDir
  await build({ ...config, logLevel: 'warn' })
  markBuilt(outDir, started)
}

async function runAppBatch(browser, origin) {
  if (raw.appFiles.length === 0) return
  print(`bench: ${raw.appFiles.length} files dropped into the app page (${elapsed()})`)
  const files = raw.appFiles.map((file) => file.path)
  try {
    raw.page.appBatch = await appBatch({
      browser,
      origin,
      files,
      idleWaitMs: appIdleWaitMs,
      timeoutMs: sectionTimeoutMs,
    })
    for (const message of raw.page.appBatch.pageErrors) raw.notes.push(`app page error: ${message}`)
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error)
    raw.page.appBatch = { error: { code: 'bench', message } }
    raw.notes.push(`app-page batch: ${message}`)
  }
}

/**
 * Times one input: a cold Quire call, then rounds of (native references, one Quire run) so
 * that both sides see the same moment of this shared machine's load. Rounds stop after
 * `plan.repeats`, or earlier (after one) when the next would end past `budget` ms.
 */
async function measureInput(page, input, nativeDir, budget) {
  let commands = nativeCommands(input, nativeDir, raw.native.available)
  const nativeSamples = Object.fromEntries(commands.map((command) => [command.key, []]))
  const native = { error: null }
  const nativeRound = (keep) => {
    try {
      for (const command of commands) {
        const ms = timeOnce(command)
        if (keep) nativeSamples[command.key].push(ms)
      }
    } catch (error) {
      native.error = error.message
      commands = []
    }
  }
  nativeRound(false) // warm-up: loads the tools and the file into the page cache

  const item = { id: input.id, url: `/inputs/${input.id}` }
  const opened = await guarded(page, `cold run of ${input.id}`, () =>
    page.evaluate((value) => window.quireBench.openInput(value), item),
  )
  let lost = opened == null // a failed section reloads the page, which ends the session
  const quireOk = () => !lost && opened.error == null
  const runs = []
  const began = performance.now()
  for (let round = 0; round < plan.repeats; round += 1) {
    const spent = performance.now() - began
    if (round > 0 && spent + spent / round > budget) break
    nativeRound(true)
    if (!quireOk()) continue
    const run = await guarded(page, `run ${round + 1} of ${input.id}`, () =>
      page.evaluate((id) => window.quireBench.timeInput(id), input.id),
    )
    if (run) {
      runs.push(run)
    } else {
      lost = true
      opened.error = { code: 'bench', message: `run ${round + 1} failed; see the notes` }
    }
  }
  for (const [key, samples] of Object.entries(nativeSamples)) native[key] = summarize(samples)
  if (!opened) return { stages: null, native }

  const sample = quireOk()
  const unsampled = { peakWorkerBytes: null, memorySamples: 0, error: null }
  const memory = lost
    ? unsampled
    : ((await guarded(page, `memory of ${input.id}`, () =>
        page.evaluate(([id, keep]) => window.quireBench.closeInput(id, keep), [input.id, sample]),
      )) ?? unsampled)
  return { stages: { ...opened, ...memory, samples: collectStages(runs) }, native }
}

/**
 * Runs one section of the page under a deadline. A section that throws or hangs is noted,
 * the page is reloaded (which ends its workers) and the run goes on.
 */
async function guarded(page, label, work) {
  let timer
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${sectionTimeoutMs / 1000} s`)),
      sectionTimeoutMs,
    )
  })
  try {
    return await Promise.race([work(), deadline])
  } catch (error) {
    raw.notes.push(`${label}: ${error instanceof Error ? error.message.split('\n')[0] : error}`)
    await page.reload().catch(() => undefined)
    await page
      .waitForFunction(() => window.quireBench !== undefined, null, { timeout: 30_000 })
      .catch(() => undefined)
    return null
  } finally {
    clearTimeout(timer)
  }
}

function runEdge() {
  const script = join(root, 'bench', 'edge', 'load.mjs')
  const output = join(resultsDir, 'edge.json')
  if (!existsSync(script)) {
    raw.edge = { json: null, error: 'bench/edge/load.mjs is not in the tree yet' }
    raw.notes.push(`edge: ${raw.edge.error}`)
    return
  }
  print(`bench: edge load test (${elapsed()})`)
  const started = Date.now()
  const result = spawnSync(process.execPath, [script], {
    cwd: root,
    stdio: 'inherit',
    timeout: 1_200_000,
  })
  const fresh = existsSync(output) && statSync(output).mtimeMs >= started
  if (result.status !== 0 || !fresh) {
    const why =
      result.status !== 0
        ? `exited with ${result.status ?? result.signal}`
        : 'wrote no fresh bench-results/edge.json'
    raw.edge = { json: null, error: `bench/edge/load.mjs ${why}` }
    raw.notes.push(`edge: ${raw.edge.error}`)
    return
  }
  raw.edge = { json: JSON.parse(readFileSync(output, 'utf8')), error: null }
}
