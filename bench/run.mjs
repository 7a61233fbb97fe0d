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
import { loadChromiumConfig } from './lib/chromium.mjs'
import { THUMB_TARGET_ID, prepareBatch, prepareInputs } from './lib/inputs.mjs'
import { ensureNativeTools, measureNative } from './lib/native.mjs'
import { renderReport, summarizeRun } from './lib/report.mjs'
import { startStaticServer } from './lib/server.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const resultsDir = join(root, 'bench-results')
const siteDir = process.env.BENCH_OUT_DIR ?? join(resultsDir, 'site')
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

// Per-input budget for timed runs: a long PDF gets fewer repeats rather than stalling the run.
const budgetMs = plan.mode === 'quick' ? 12_000 : 90_000
const sectionTimeoutMs = plan.mode === 'quick' ? 90_000 : 900_000
// The quick run shortens the pool's idle timeout (10 s by default) so that "workers
// idle-terminated" can be checked without waiting; the full run keeps the default.
const idleTimeoutMs = plan.mode === 'quick' ? 1_500 : null
const idleWaitMs = plan.mode === 'quick' ? 3_000 : 12_000

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

  print(`bench: native references (${elapsed()})`)
  raw.native = {
    versions: tools.versions,
    results: measureNative(raw.inputs, {
      repeats: plan.repeats,
      workDir: join(resultsDir, 'native-out'),
      available: tools.available,
    }),
  }

  print(`bench: building the bench page (${elapsed()})`)
  process.env.BENCH_OUT_DIR = siteDir
  await build({ configFile: join(root, 'bench', 'vite.config.ts'), logLevel: 'warn' })

  const files = new Map()
  for (const input of [...raw.inputs, ...raw.batch]) files.set(`/inputs/${input.id}`, input.path)
  const server = await startStaticServer({ siteDir, files })
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
    await runPage(browser, server.origin)
  } finally {
    await browser.close()
    await server.close()
  }

  if (plan.edge) runEdge()

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
  for (const input of raw.inputs) {
    print(`bench: stages of ${input.id} (${elapsed()})`)
    const report = await guarded(page, `stages of ${input.id}`, () =>
      page.evaluate(
        ([item, repeats, budget]) => window.quireBench.stageTimings(item, repeats, budget),
        [{ id: input.id, url: `/inputs/${input.id}` }, plan.repeats, budgetMs],
      ),
    )
    if (report) {
      raw.page.stages.push(report)
      if (report.error) {
        raw.notes.push(`${input.id}: ${report.error.code}: ${report.error.message}`)
      }
    }
  }

  print(`bench: throughput with ${workerCounts(plan.maxWorkers).join(', ')} workers (${elapsed()})`)
  raw.page.throughput = await guarded(page, 'throughput', () =>
    page.evaluate(
      ([batch, counts, timeout]) => window.quireBench.throughput(batch, counts, timeout),
      [
        raw.batch.map((input) => ({
          id: input.id,
          url: `/inputs/${input.id}`,
          megapixels: input.megapixels ?? 0,
        })),
        workerCounts(plan.maxWorkers),
        sectionTimeoutMs,
      ],
    ),
  )
  if (raw.page.throughput?.error) {
    const { code, message } = raw.page.throughput.error
    raw.notes.push(`throughput: ${code}: ${message}`)
  }

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
