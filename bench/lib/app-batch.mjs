// The 100-file batch through the real app page (web/), as a person would drop it: the
// processor, the grid of cards and their thumbnails all run on the page's main thread.
import { topCulprits } from './culprits.mjs'

/**
 * Opens the built app in a fresh browser context (its own storage) with a bench workspace,
 * drops `files` into its file input, waits until every card is done or failed, and reports
 * long tasks, long animation frames and memory before, right after and after `idleWaitMs`.
 *
 * Files go in by path, as from the file picker: the browser reads them, not a script in the
 * page (buffers would be decoded on the main thread and counted as the page's long tasks).
 *
 * @param {{ browser: import('playwright').Browser, origin: string, files: string[], idleWaitMs: number, timeoutMs: number }} options
 */
export async function appBatch({ browser, origin, files, idleWaitMs, timeoutMs }) {
  const context = await browser.newContext()
  const errors = []
  try {
    // A workspace as after "Connect", so the page never asks the (absent) API for a session.
    await context.addInitScript(() => {
      localStorage.setItem(
        'quire.workspaces',
        JSON.stringify([{ tenant: 'bench', token: 'bench' }]),
      )
      localStorage.setItem('quire.workspace', 'bench')
    })
    const page = await context.newPage()
    page.on('pageerror', (error) => errors.push(error.message))
    await page.goto(`${origin}/`)
    await page.waitForSelector('[data-testid="file-input"]', { state: 'attached', timeout: 60_000 })
    await page.waitForTimeout(1_000) // boot work (store, service worker) settles first

    await page.evaluate(startObservers)
    const baseline = await page.evaluate(memoryNow)
    const started = performance.now()
    await page.setInputFiles('[data-testid="file-input"]', files)
    await page.waitForFunction(settled, files.length, { polling: 250, timeout: timeoutMs })
    const batchMs = performance.now() - started
    const observed = await page.evaluate(stopObservers)
    const afterBatch = await page.evaluate(memoryNow)
    await page.waitForTimeout(idleWaitMs)
    const afterIdle = await page.evaluate(memoryNow)

    return {
      files: files.length,
      states: observed.states,
      batchMs,
      count: observed.longTasks.length,
      maxMs: Math.max(0, ...observed.longTasks),
      totalMs: observed.longTasks.reduce((sum, ms) => sum + ms, 0),
      longFrames: {
        supported: observed.framesSupported,
        count: observed.frames.length,
        longestMs: Math.max(0, ...observed.frames),
        culprits: topCulprits(observed.scripts),
      },
      heap: {
        baselineBytes: baseline.heap,
        afterBatchBytes: afterBatch.heap,
        afterIdleBytes: afterIdle.heap,
      },
      uaMemory: { baseline: baseline.ua, afterBatch: afterBatch.ua, afterIdle: afterIdle.ua },
      idleWaitMs,
      pageErrors: errors,
      error: null,
    }
  } finally {
    await context.close()
  }
}

// The functions below run in the app page, so each must stand alone.

function startObservers() {
  const state = { longTasks: [], frames: [], scripts: [], observers: [] }
  const watch = (type, take) => {
    if (!PerformanceObserver.supportedEntryTypes.includes(type)) return false
    const observer = new PerformanceObserver((list) => list.getEntries().forEach(take))
    observer.observe({ type })
    state.observers.push([observer, take])
    return true
  }
  state.longTasksSupported = watch('longtask', (entry) => state.longTasks.push(entry.duration))
  state.framesSupported = watch('long-animation-frame', (entry) => {
    state.frames.push(entry.duration)
    for (const script of entry.scripts) {
      const { invokerType, invoker, sourceFunctionName, sourceURL, sourceCharPosition } = script
      state.scripts.push({
        invokerType,
        invoker,
        sourceFunctionName,
        sourceURL,
        sourceCharPosition,
        duration: script.duration,
      })
    }
  })
  window.__quireBench = state
}

function stopObservers() {
  const state = window.__quireBench
  for (const [observer, take] of state.observers) {
    observer.takeRecords().forEach(take)
    observer.disconnect()
  }
  // The grid may not render every card; the batch line counts them all.
  const text = document.querySelector('[data-testid="batch-progress"]')?.textContent ?? ''
  const states = {
    done: Number(/(\d+) of \d+ done/.exec(text)?.[1] ?? 0),
    failed: Number(/(\d+) failed/.exec(text)?.[1] ?? 0),
  }
  const { longTasks, frames, scripts, framesSupported } = state
  return { longTasks, frames, scripts, framesSupported, states }
}

/** The batch line reads "N of count done · F failed" and is no longer active. */
function settled(count) {
  const line = document.querySelector('[data-testid="batch-progress"]')
  if (!line || line.hidden || line.dataset.active !== 'false') return false
  const text = line.textContent ?? ''
  const done = Number(/(\d+) of (\d+) done/.exec(text)?.[1] ?? -1)
  const total = Number(/(\d+) of (\d+) done/.exec(text)?.[2] ?? -1)
  const failed = Number(/(\d+) failed/.exec(text)?.[1] ?? 0)
  return total === count && done + failed === count
}

async function memoryNow() {
  for (let round = 0; round < 2; round += 1) {
    window.gc?.()
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  const heap = performance.memory?.usedJSHeapSize ?? null
  let ua = null
  if (crossOriginIsolated && performance.measureUserAgentSpecificMemory) {
    const measured = await performance.measureUserAgentSpecificMemory()
    let workerBytes = 0
    for (const entry of measured.breakdown) {
      const inWorker = entry.attribution.some((item) => item.scope === 'DedicatedWorkerGlobalScope')
      if (inWorker) workerBytes += entry.bytes
    }
    ua = { totalBytes: measured.bytes, workerBytes }
  }
  return { heap, ua }
}
