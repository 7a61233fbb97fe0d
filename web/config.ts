import type { ProcessOptions } from '../wasm/api'

const MiB = 1024 * 1024

/** Limits and defaults handed to every worker job (see `ProcessOptions`). */
export const PROCESS_DEFAULTS = {
  thumbSize: 256,
  previewSize: 1024,
  maxPixels: 100e6,
  maxBytes: 200 * MiB,
  textCap: 2_000_000,
} as const

/** The full `ProcessOptions` for this page; pdf.js assets are served from our own origin. */
export function defaultProcessOptions(): ProcessOptions {
  return { ...PROCESS_DEFAULTS, pdfAssetsUrl: new URL('/pdfjs/', location.href).href }
}

/** How long a job may run: a fixed allowance plus time per MiB of input. */
export interface DeadlinePolicy {
  baseMs: number
  msPerMiB: number
  /** No job waits longer than this, whatever its size. */
  maxMs: number
}

export const DEADLINE_DEFAULTS: DeadlinePolicy = { baseMs: 20_000, msPerMiB: 2_000, maxMs: 300_000 }

/** Bounds on retries that happen without the person asking. */
export interface RetryPolicy {
  /** Extra runs after a `timeout` or `worker_crashed` failure. */
  autoRetries: number
  /**
   * Most runs a job may start on its own, counting runs cut short by a page reload, so a file
   * that takes the whole tab down cannot restart forever.
   */
  maxAttempts: number
}

export const RETRY_DEFAULTS: RetryPolicy = { autoRetries: 1, maxAttempts: 3 }

/** A worker with nothing to do is terminated after this long, as in Squoosh. */
export const IDLE_TIMEOUT_MS = 10_000

/**
 * Bytes of originals read into the page for dispatched jobs at one time. One job always goes
 * through even when it alone is larger.
 */
export const MAX_BYTES_IN_FLIGHT = 256 * MiB

/** Reads larger than this are hashed in chunks instead of read whole into memory. */
export const HASH_CHUNK_BYTES = 8 * MiB

/** Default IndexedDB database name; tests pass their own. */
export const DB_NAME = 'quire'

/** One worker per core, leaving one core for the page; at least one. */
export function defaultPoolSize(): number {
  return Math.max(1, (navigator.hardwareConcurrency || 2) - 1)
}
