// Chromium-only APIs the benchmark reads when present. Not in lib.dom.

interface MemoryAttribution {
  url?: string
  scope?: string
  container?: { id?: string; src?: string }
}

interface MemoryBreakdownEntry {
  bytes: number
  attribution: MemoryAttribution[]
  types: string[]
}

interface MemoryMeasurement {
  bytes: number
  breakdown: MemoryBreakdownEntry[]
}

interface Performance {
  /** Chromium, cross-origin isolated pages only. */
  measureUserAgentSpecificMemory?: () => Promise<MemoryMeasurement>
  /** Chromium; precise with --enable-precise-memory-info. */
  memory?: { usedJSHeapSize: number; totalJSHeapSize: number; jsHeapSizeLimit: number }
}

interface Window {
  /** Present when Chromium runs with --js-flags=--expose-gc. */
  gc?: () => void
}

/** Long Animation Frames API (Chromium 123+): who ran during a frame over 50 ms. */
interface PerformanceScriptTiming extends PerformanceEntry {
  invoker: string
  invokerType: string
  sourceURL: string
  sourceFunctionName: string
  sourceCharPosition: number
  forcedStyleAndLayoutDuration: number
}

interface PerformanceLongAnimationFrameTiming extends PerformanceEntry {
  blockingDuration: number
  scripts: PerformanceScriptTiming[]
}
