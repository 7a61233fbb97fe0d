import { registerErrorTransfer } from '../../wasm/shared/errors'
import { uaMemoryUnavailable } from './memory'
import { loadProcessorFactory } from './processor'
import { longTasks } from './long-tasks'
import { closeInput, openInput, timeInput } from './stage-timings'
import { throughput } from './throughput'

registerErrorTransfer()

/** What the page can measure here, for the report's header. */
async function environment() {
  const factory = await loadProcessorFactory()
  return {
    userAgent: navigator.userAgent,
    hardwareConcurrency: navigator.hardwareConcurrency,
    crossOriginIsolated,
    uaMemory: uaMemoryUnavailable() ?? 'available',
    performanceMemory: performance.memory ? 'available' : 'not exposed by this browser',
    longTasks: PerformanceObserver.supportedEntryTypes.includes('longtask')
      ? 'available'
      : 'not supported by this browser',
    gc: typeof window.gc === 'function' ? 'exposed' : 'not exposed',
    processor: typeof factory === 'string' ? factory : 'available',
  }
}

const bench = { environment, openInput, timeInput, closeInput, throughput, longTasks }

declare global {
  interface Window {
    quireBench?: typeof bench
  }
}

window.quireBench = bench
document.getElementById('status')!.textContent = 'ready'
