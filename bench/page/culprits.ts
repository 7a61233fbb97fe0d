/** Who ran during long animation frames, summed per script, for the long-task report. */

export interface Culprit {
  /** `invokerType invoker → function (file:char)`, as far as the browser knows. */
  script: string
  count: number
  totalMs: number
  maxMs: number
}

/**
 * Watches 'long-animation-frame' entries (Chromium) and keeps their scripts. `stop` returns
 * the heaviest scripts first; an empty list when the browser has no such entries.
 */
export function watchLongFrames(): {
  supported: boolean
  stop(): { frames: number; longestMs: number; culprits: Culprit[] }
} {
  const supported = PerformanceObserver.supportedEntryTypes.includes('long-animation-frame')
  const frames: PerformanceLongAnimationFrameTiming[] = []
  const observer = new PerformanceObserver((list) => {
    frames.push(...(list.getEntries() as PerformanceLongAnimationFrameTiming[]))
  })
  if (supported) observer.observe({ type: 'long-animation-frame' })
  return {
    supported,
    stop() {
      frames.push(...(observer.takeRecords() as PerformanceLongAnimationFrameTiming[]))
      observer.disconnect()
      const byScript = new Map<string, Culprit>()
      for (const frame of frames) {
        for (const script of frame.scripts) {
          const file = script.sourceURL.split('/').pop() || '(no source)'
          const name = script.sourceFunctionName || '(anonymous)'
          const key = `${script.invokerType} ${script.invoker} → ${name} (${file}:${script.sourceCharPosition})`
          const entry = byScript.get(key) ?? { script: key, count: 0, totalMs: 0, maxMs: 0 }
          entry.count += 1
          entry.totalMs += script.duration
          entry.maxMs = Math.max(entry.maxMs, script.duration)
          byScript.set(key, entry)
        }
      }
      const culprits = [...byScript.values()].sort((a, b) => b.totalMs - a.totalMs).slice(0, 5)
      const longestMs = Math.max(0, ...frames.map((frame) => frame.duration))
      return { frames: frames.length, longestMs, culprits }
    },
  }
}
