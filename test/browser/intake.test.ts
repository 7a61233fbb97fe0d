import { afterEach, describe, expect, it } from 'vitest'
import { sha256Hex } from '../../web/intake/intake'
import {
  byName,
  countingFactory,
  freshProcessor,
  pngHead,
  scripted,
  settled,
  until,
} from './fixtures/files'

let cleanup: (() => Promise<void>) | undefined
afterEach(async () => {
  await cleanup?.()
  cleanup = undefined
})

describe('intake', () => {
  it('fails bad files with their codes without starting a worker', async () => {
    const factory = countingFactory()
    const fresh = await freshProcessor({
      createWorker: factory.create,
      processOptions: { maxBytes: 1024, maxPixels: 100e6 },
    })
    cleanup = fresh.cleanup
    const files = [
      new File([], 'empty.png'),
      new File(['just some text, not a document'], 'notes.png'),
      new File([pngHead(10, 10, 'x'.repeat(2048))], 'big.png'),
      new File([pngHead(20_000, 20_000)], 'huge.png'),
    ]

    const added = await fresh.processor.add(files)
    const jobs = byName(await until(fresh.processor, (jobs) => jobs.length === 4))

    expect(added.map((job) => job.state)).toEqual(['failed', 'failed', 'failed', 'failed'])
    expect(jobs['empty.png']?.error?.code).toBe('empty_file')
    expect(jobs['notes.png']?.error?.code).toBe('unsupported_type')
    expect(jobs['big.png']?.error?.code).toBe('too_large')
    expect(jobs['huge.png']?.error?.code).toBe('too_many_pixels')
    expect(factory.counts.created).toBe(0)
  })

  it('records a refused file with its metadata, listed again after a reload', async () => {
    const fresh = await freshProcessor()
    cleanup = fresh.cleanup
    const file = new File([pngHead(20_000, 20_000)], 'huge.png')

    const [job] = await fresh.processor.add([file])
    await fresh.processor.close()
    const reopened = await fresh.open()
    const [listed] = await until(reopened, (jobs) => jobs.length === 1)
    const result = await reopened.result(job!.id)

    expect(listed).toMatchObject({ id: job!.id, state: 'failed', type: 'png', kind: 'image' })
    expect(result?.meta).toMatchObject({
      sha256: job!.sha256,
      name: 'huge.png',
      mime: 'image/png',
      bytes: file.size,
      status: 'failed',
      error: { code: 'too_many_pixels' },
    })
    expect(result?.thumbnail).toBeUndefined()
    expect(await reopened.original(job!.id)).toBeUndefined()
  })

  it('names a job by tenant and the SHA-256 of its bytes', async () => {
    const fresh = await freshProcessor()
    cleanup = fresh.cleanup
    const file = scripted('ok')
    const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer())
    const hex = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('')

    const [job] = await fresh.processor.add([file])
    await until(fresh.processor, settled)

    expect(job?.sha256).toBe(hex)
    expect(job?.id).toBe(`alpha:${hex}`)
  })

  it('skips a file that can no longer be read and takes the rest of the drop', async () => {
    const fresh = await freshProcessor()
    cleanup = fresh.cleanup
    const gone = new DOMException('the file changed on disk', 'NotReadableError')
    const unreadable = {
      name: 'gone.png',
      size: 10,
      slice: () => ({ arrayBuffer: () => Promise.reject(gone) }),
    } as unknown as File

    const added = await fresh.processor.add([unreadable, scripted('ok', 'kept.png')])
    const jobs = await until(fresh.processor, (jobs) => jobs.length === 1 && settled(jobs))

    expect(added.map((job) => job.name)).toEqual(['kept.png'])
    expect(jobs[0]?.state).toBe('done')
  })

  it('hashes a file over the size limit in chunks to the same digest', async () => {
    const bytes = Uint8Array.from({ length: 3 * 1024 * 1024 + 17 }, (_, i) => (i * 7) & 0xff)
    const file = new File([bytes], 'big.bin')

    const whole = await sha256Hex(file, Infinity)
    const chunked = await sha256Hex(file, 0)

    expect(chunked).toBe(whole)
  })
})
