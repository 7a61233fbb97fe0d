import { topCulprits } from '../lib/culprits.mjs'
import type { Culprit } from '../lib/culprits.mjs'

export type { Culprit }

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
      const longestMs = Math.max(0, ...frames.map((frame) => frame.duration))
      const culprits = topCulprits(frames.flatMap((frame) => frame.scripts))
      return { frames: frames.length, longestMs, culprits }
    },
  }
}
