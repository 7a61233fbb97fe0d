/** What the browser lets a page see of its own memory. */

/** Used JS heap of the page after a full GC when possible; null outside Chromium. */
export async function pageHeapBytes(): Promise<number | null> {
  await settle()
  return performance.memory?.usedJSHeapSize ?? null
}

/** Runs a GC when exposed and lets finalizers and pending messages run. */
export async function settle(): Promise<void> {
  for (let round = 0; round < 2; round += 1) {
    window.gc?.()
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** Why `measureUserAgentSpecificMemory` cannot be used here, or null when it can. */
export function uaMemoryUnavailable(): string | null {
  if (!crossOriginIsolated) return 'the page is not cross-origin isolated (COOP/COEP missing)'
  if (typeof performance.measureUserAgentSpecificMemory !== 'function') {
    return 'performance.measureUserAgentSpecificMemory is not exposed by this browser'
  }
  return null
}

export interface UaMemory {
  /** Everything the page's agent cluster holds: page, workers, WASM memories. */
  totalBytes: number
  /** The part attributed to dedicated workers. */
  workerBytes: number
}

/** One measurement with `measureUserAgentSpecificMemory`, or null when unavailable. */
export async function uaMemory(): Promise<UaMemory | null> {
  if (uaMemoryUnavailable()) return null
  const measurement = await performance.measureUserAgentSpecificMemory!()
  let workerBytes = 0
  for (const entry of measurement.breakdown) {
    if (entry.attribution.some((item) => item.scope === 'DedicatedWorkerGlobalScope')) {
      workerBytes += entry.bytes
    }
  }
  return { totalBytes: measurement.bytes, workerBytes }
}

/**
 * Samples worker memory while `work` runs and once after, and returns the largest value seen.
 * Each sample waits for the previous one, so a slow measurement never piles up.
 */
export async function peakWorkerBytes<T>(
  work: Promise<T>,
): Promise<{ result: T; peakBytes: number | null; samples: number }> {
  if (uaMemoryUnavailable()) return { result: await work, peakBytes: null, samples: 0 }
  let finished = false
  let peakBytes = 0
  let samples = 0
  const sampler = (async () => {
    while (!finished) {
      const measured = await uaMemory()
      samples += 1
      if (measured) peakBytes = Math.max(peakBytes, measured.workerBytes)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  })()
  try {
    const result = await work
    finished = true
    await sampler
    const after = await uaMemory()
    samples += 1
    if (after) peakBytes = Math.max(peakBytes, after.workerBytes)
    return { result, peakBytes, samples }
  } finally {
    finished = true
    await sampler
  }
}
