import { commands } from 'vitest/browser'
import { afterEach, describe, expect, it } from 'vitest'
import { defaultPoolSize } from '../../web/config'
import { freshProcessor, settled, until } from './fixtures/files'
import type { Job } from '../../web/jobs/job'

/*
 * Issue 5's closing check: the whole ../shared/corpus plus every file in ../shared/cases dropped
 * at once. Skipped when ../shared is not beside the clone. Throughput figures are printed only
 * with VITE_QUIRE_MEASURE=1, since they take several minutes on two cores.
 */

const CORPUS = [
  'Elephants_5640x3172.jpg',
  'FreshFlower.jpg',
  'LadyBird.jpg',
  'Spring.png',
  'Storm.jpg',
  'Stripes.png',
  'Ubuntu-Mate-Cold-no-logo.png',
  'Wood.jpg',
  'adwaita-l.webp',
  'vnc-l.webp',
  'wood-d.webp',
  'classes.pdf',
  'fntguide.pdf',
  'ltnews36.pdf',
  'source2e.pdf',
].map((name) => `corpus/${name}`)

const CASES = [
  'c01-exif-orientation-6.jpg',
  'c02-cmyk-adobe.jpg',
  'c03-grayscale-8bit.png',
  'c06-animated.webp',
  'c07-bomb-24000x24000.png',
  'c08-empty.png',
  'c08-not-an-image.jpg',
  'c09-encrypted-user-password.pdf',
  'c11-junk-prefix-broken-xref.pdf',
  'c12-nonembedded-helvetica.pdf',
  'c14-empty-body.json',
  'c14-malformed-metadata.json',
].map((name) => `cases/files/${name}`)

/** The file under ../shared, or null when it is absent. */
async function shared(path: string): Promise<File | null> {
  try {
    const base64 = await commands.readFile(`../shared/${path}`, 'base64')
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))
    return new File([bytes], path.split('/').pop()!)
  } catch {
    return null
  }
}

const loaded = await Promise.all([...CORPUS, ...CASES].map(shared))
const files = loaded.filter((file): file is File => file !== null)
const present = files.length === CORPUS.length + CASES.length
const measure = Boolean(import.meta.env.VITE_QUIRE_MEASURE)

let cleanup: (() => Promise<void>) | undefined
afterEach(async () => {
  await cleanup?.()
  cleanup = undefined
})

const finished = (jobs: readonly Job[]) => jobs.length > 0 && settled(jobs)

/** Drops `batch` on a fresh processor and times it from the drop to the last job's end. */
async function runBatch(poolSize: number, batch: File[]) {
  const fresh = await freshProcessor({ createWorker: undefined, poolSize })
  cleanup = fresh.cleanup
  let longest = 0
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longest = Math.max(longest, entry.duration)
  })
  observer.observe({ type: 'longtask' })
  const unique = new Set(batch.map((file) => (file.size === 0 ? 'empty' : file.name))).size

  const started = performance.now()
  await fresh.processor.add(batch)
  const intake = performance.now() - started
  await until(fresh.processor, (jobs) => jobs.length === unique && finished(jobs))
  const total = performance.now() - started
  observer.disconnect()
  await fresh.cleanup()
  cleanup = undefined
  return { total, intake, longest }
}

describe.skipIf(!present)('a drop of the whole corpus and every case', () => {
  it('ends every file done or failed with its code, across a reload mid-batch', async () => {
    const fresh = await freshProcessor({ createWorker: undefined })
    cleanup = fresh.cleanup
    // Two empty files share one hash, so they are one job.
    const unique = files.length - 1

    await fresh.processor.add(files)
    await until(fresh.processor, (jobs) => jobs.some((job) => job.state === 'done'))
    await fresh.processor.close()
    const reopened = await fresh.open()
    const jobs = await until(reopened, (jobs) => jobs.length === unique && finished(jobs))
    const codes = Object.fromEntries(jobs.map((job) => [job.name, job.error?.code ?? job.state]))

    for (const name of CORPUS) expect(codes[name.split('/')[1]!], name).toBe('done')
    expect(codes).toMatchObject({
      'c01-exif-orientation-6.jpg': 'done',
      'c03-grayscale-8bit.png': 'done',
      'c07-bomb-24000x24000.png': 'too_many_pixels',
      'c08-not-an-image.jpg': 'unsupported_type',
      'c09-encrypted-user-password.pdf': 'encrypted',
      'c11-junk-prefix-broken-xref.pdf': 'done',
      'c12-nonembedded-helvetica.pdf': 'done',
      'c14-malformed-metadata.json': 'unsupported_type',
    })
    expect([codes['c08-empty.png'], codes['c14-empty-body.json']]).toContain('empty_file')
    for (const job of jobs) {
      const result = await reopened.result(job.id)
      expect(result?.meta.status, job.name).toBe(job.state === 'done' ? 'ready' : 'failed')
    }
  }, 600_000)

  it.skipIf(!measure)(
    'measures throughput with one worker and with the default pool',
    async () => {
      const sizes = [...new Set([1, defaultPoolSize(), 2])]
      const mib = files.reduce((sum, file) => sum + file.size, 0) / 2 ** 20
      const lines = [
        `throughput (hardwareConcurrency ${navigator.hardwareConcurrency}), ` +
          `${files.length} files, ${mib.toFixed(1)} MiB, two rounds after a warm-up:`,
      ]
      // Warm-up: the first workers fetch and compile their modules; no pool size should pay it.
      await runBatch(2, [files[0]!, files[3]!, files[8]!, files[11]!])
      for (let round = 1; round <= 2; round++) {
        for (const poolSize of sizes) {
          const { total, intake, longest } = await runBatch(poolSize, files)
          lines.push(
            `round ${round}, pool ${poolSize}: ${(total / 1000).toFixed(1)} s ` +
              `(intake ${(intake / 1000).toFixed(2)} s), ` +
              `${(files.length / (total / 1000)).toFixed(2)} files/s, ` +
              `longest main-thread task ${longest.toFixed(0)} ms`,
          )
        }
      }
      console.info(lines.join('\n'))
      expect(lines).toHaveLength(1 + 2 * sizes.length)
    },
    1_200_000,
  )
})
