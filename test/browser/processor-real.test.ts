import { afterEach, describe, expect, it } from 'vitest'
import { byName, freshProcessor, settled, until } from './fixtures/files'

let cleanup: (() => Promise<void>) | undefined
afterEach(async () => {
  await cleanup?.()
  cleanup = undefined
})

/** A checked-in fixture as a File, the way a person's drop hands it over. */
async function fixtureFile(path: string): Promise<File> {
  const [folder, name] = path.split('/') as [string, string]
  // Vite resolves `new URL` templates one folder level at a time, hence one per folder.
  const url =
    folder === 'pdf'
      ? new URL(`../fixtures/pdf/${name}`, import.meta.url)
      : new URL(`../fixtures/images/${name}`, import.meta.url)
  const response = await fetch(url)
  if (!response.ok) throw new Error(`fixture ${path}: HTTP ${response.status}`)
  return new File([await response.blob()], name)
}

/** Runs with the real `wasm/worker.ts`, as the page does. */
async function realProcessor() {
  const fresh = await freshProcessor({ createWorker: undefined, poolSize: 2 })
  cleanup = fresh.cleanup
  return fresh.processor
}

describe('processor with the real worker', () => {
  it('turns a real PNG into a done job with a WebP thumbnail and preview', async () => {
    const processor = await realProcessor()

    const [job] = await processor.add([await fixtureFile('images/png-rgb-300x200.png')])
    const [done] = await until(processor, settled)
    const result = await processor.result(job!.id)
    const thumbnail = await createImageBitmap(result!.thumbnail!)

    expect(done).toMatchObject({ state: 'done', type: 'png', kind: 'image' })
    expect(result?.meta).toMatchObject({ status: 'ready', width: 300, height: 200 })
    expect(result?.thumbnail?.type).toBe('image/webp')
    expect(result?.preview?.type).toBe('image/webp')
    expect([thumbnail.width, thumbnail.height]).toEqual([256, 171])
  })

  it('turns a real PDF into a done job with page count, text and a thumbnail', async () => {
    const processor = await realProcessor()

    const [job] = await processor.add([await fixtureFile('pdf/multi-page.pdf')])
    const [done] = await until(processor, settled)
    const result = await processor.result(job!.id)

    expect(done).toMatchObject({ state: 'done', type: 'pdf', kind: 'pdf' })
    expect(result?.meta.status).toBe('ready')
    expect(result?.meta.pages).toBeGreaterThan(1)
    expect(result?.meta.textBytes).toBeGreaterThan(0)
    expect(result?.text?.length).toBeGreaterThan(0)
    expect(result?.thumbnail?.type).toBe('image/webp')
  })

  it('opens an encrypted PDF once the person gives the password', async () => {
    const processor = await realProcessor()

    const [job] = await processor.add([await fixtureFile('pdf/encrypted.pdf')])
    const [locked] = await until(processor, settled)
    await processor.retry(job!.id, 'quire-user')
    const [open] = await until(processor, (jobs) => jobs[0]?.state === 'done')
    const result = await processor.result(job!.id)

    expect(locked?.error?.code).toBe('encrypted')
    expect(open?.error).toBeUndefined()
    expect(result?.meta.title).toBe('Quire encrypted fixture')
  })

  it('runs a mixed drop of images, PDFs and refusals to an end for each', async () => {
    const processor = await realProcessor()
    const files = await Promise.all(
      [
        'images/jpeg-baseline-300x200.jpg',
        'images/webp-lossy-300x200.webp',
        'images/bomb-png-24000x24000.png',
        'images/not-an-image.jpg',
        'pdf/truncated.pdf',
        'pdf/cjk.pdf',
      ].map(fixtureFile),
    )

    await processor.add(files)
    const jobs = byName(await until(processor, (jobs) => jobs.length === 6 && settled(jobs)))

    expect(jobs['jpeg-baseline-300x200.jpg']?.state).toBe('done')
    expect(jobs['webp-lossy-300x200.webp']?.state).toBe('done')
    expect(jobs['cjk.pdf']?.state).toBe('done')
    expect(jobs['bomb-png-24000x24000.png']?.error?.code).toBe('too_many_pixels')
    expect(jobs['not-an-image.jpg']?.error?.code).toBe('unsupported_type')
    expect(jobs['truncated.pdf']?.error?.code).toBe('corrupt')
  })
})
