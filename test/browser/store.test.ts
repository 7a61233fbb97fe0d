import { deleteDB, openDB } from 'idb'
import { describe, expect, it } from 'vitest'
import { createProcessor } from '../../web/jobs/processor'
import { DB_VERSION, openStore } from '../../web/store/db'
import {
  byName,
  freshProcessor,
  scripted,
  scriptedWorker,
  settled,
  tagOf,
  until,
  useProcessorSetup,
  waitFor,
} from './fixtures/files'
import type { Job } from '../../web/jobs/job'

const { setup, defer } = useProcessorSetup()

describe('result store', () => {
  it('keeps a done job with its thumbnail, preview and metadata', async () => {
    const { processor } = await setup()

    const [job] = await processor.add([scripted('ok', 'photo.png')])
    await until(processor, settled)
    const result = await processor.result(job!.id)

    expect(result?.meta).toMatchObject({
      sha256: job!.sha256,
      name: 'photo.png',
      kind: 'image',
      status: 'ready',
      width: 1,
      height: 1,
    })
    expect(result?.thumbnail?.type).toBe('image/webp')
    expect(result?.preview?.type).toBe('image/webp')
    expect(await (await processor.original(job!.id))?.text()).toContain('QUIRE:ok')
  })

  it('reads a thumbnail alone, from its own store, for this tenant only', async () => {
    const { processor, open } = await setup()

    const [job] = await processor.add([scripted('ok', 'thumb.png')])
    await until(processor, settled)
    const thumbnail = await processor.thumbnail(job!.id)
    const whole = await processor.result(job!.id)
    const beta = await open({ tenant: 'beta' })

    expect(thumbnail?.type).toBe('image/webp')
    expect(thumbnail?.size, 'the same bytes as in the whole result').toBe(whole?.thumbnail?.size)
    expect(await beta.thumbnail(job!.id), 'another tenant reads nothing').toBeUndefined()
    await processor.remove(job!.id)
    expect(await processor.thumbnail(job!.id), 'gone with its job').toBeUndefined()
  })

  it('keeps a failed job with its error in the metadata', async () => {
    const { processor } = await setup()

    const [job] = await processor.add([scripted('corrupt')])
    await until(processor, settled)
    const result = await processor.result(job!.id)

    expect(result?.meta).toMatchObject({ status: 'failed', error: { code: 'corrupt' } })
    expect(result?.thumbnail).toBeUndefined()
  })

  it('reads finished jobs back after a reload without processing them again', async () => {
    const { processor, open, channel } = await setup()
    await processor.add([scripted('ok', 'a.png'), scripted('corrupt', 'b.png')])
    const before = await until(processor, (jobs) => jobs.length === 2 && settled(jobs))
    await processor.close()
    const starts = channel.starts.length

    const reopened = await open()
    const after = await until(reopened, (jobs) => jobs.length === 2)

    expect(after).toEqual(before)
    expect(channel.starts).toHaveLength(starts)
    expect((await reopened.result(after[1]!.id))?.thumbnail).toBeInstanceOf(Blob)
  })

  it('removes a job with its result and original', async () => {
    const { processor } = await setup()

    const [job] = await processor.add([scripted('ok')])
    await until(processor, settled)
    await processor.remove(job!.id)
    const jobs = await until(processor, (jobs) => jobs.length === 0)

    expect(jobs).toEqual([])
    expect(await processor.result(job!.id)).toBeUndefined()
    expect(await processor.original(job!.id)).toBeUndefined()
  })
})

describe('dedup', () => {
  it('returns the stored job for a file already processed, without a worker', async () => {
    const { processor, channel } = await setup()
    const file = scripted('ok')
    const copy = new File([await file.arrayBuffer()], 'copy.png')

    const [first] = await processor.add([file])
    await until(processor, settled)
    const [again] = await processor.add([copy])
    const jobs = await until(processor, settled)

    expect(again).toMatchObject({ id: first!.id, state: 'done', name: first!.name })
    expect(jobs).toHaveLength(1)
    expect(channel.starts).toHaveLength(1)
  })

  it('keeps one job when the same file is dropped twice at once', async () => {
    const { processor, channel } = await setup()
    const file = scripted('ok')

    const added = await processor.add([file, file])
    const jobs = await until(processor, settled)

    expect(added[0]!.id).toBe(added[1]!.id)
    expect(jobs).toHaveLength(1)
    expect(channel.starts).toHaveLength(1)
  })

  it('never shares jobs or results across tenants', async () => {
    const { processor, open, channel } = await setup()
    const file = scripted('ok')

    const [alphaJob] = await processor.add([file])
    await until(processor, settled)
    const beta = await open({ tenant: 'beta' })
    const before = await until(beta, () => true)
    const [betaJob] = await beta.add([file])
    await until(beta, (jobs) => jobs.length === 1 && settled(jobs))

    expect(before).toEqual([])
    expect(betaJob!.id).toBe(`beta:${alphaJob!.sha256}`)
    expect(channel.starts).toHaveLength(2)
    expect(await beta.result(alphaJob!.id)).toBeUndefined()
    expect(await beta.original(alphaJob!.id)).toBeUndefined()
    await beta.remove(alphaJob!.id)
    expect((await processor.result(alphaJob!.id))?.meta.status).toBe('ready')
  })

  it('runs a file again when its earlier job was cancelled', async () => {
    const { processor, channel } = await setup({ poolSize: 1 })
    const blocker = scripted('gate')
    const file = scripted('ok', 'later.png')

    const tag = await tagOf(blocker)
    await processor.add([blocker])
    const [, queued] = await processor.add([blocker, file])
    await processor.cancel(queued!.id)
    await waitFor(() => channel.starts.includes(tag))
    channel.release(tag)
    const first = byName(await until(processor, settled))
    const [again] = await processor.add([file])
    const jobs = byName(await until(processor, (jobs) => settled(jobs) && jobs.length === 2))

    expect(first['gate.png']?.state).toBe('done')
    expect(first['later.png']?.state).toBe('cancelled')
    expect(again?.state).toBe('queued')
    expect(jobs['later.png']).toMatchObject({ state: 'done', attempts: 1 })
  })
})

describe('quota', () => {
  it('fails a file that does not fit with quota_exceeded and keeps older data', async () => {
    let quota = Infinity
    const storage = {
      estimate: async () => ({ usage: 1_000, quota }),
      persist: async () => true,
    }
    const { processor, open } = await setup({ storage })
    const [older] = await processor.add([scripted('ok', 'older.png')])
    await until(processor, settled)
    await processor.close()

    quota = 1_010
    const full = await open({ storage })
    const [newer] = await full.add([scripted('ok', 'newer.png')])
    const jobs = byName(await until(full, (jobs) => jobs.length === 2 && settled(jobs)))

    expect(newer?.error?.code).toBe('quota_exceeded')
    expect(jobs['newer.png']?.state).toBe('failed')
    expect(jobs['older.png']?.state).toBe('done')
    expect((await full.result(older!.id))?.thumbnail).toBeInstanceOf(Blob)
  })
})

describe('schema migration', () => {
  it('opens a version-1 store with data and loses nothing', async () => {
    const dbName = `quire-test-v1-${crypto.randomUUID()}`
    defer(() => deleteDB(dbName))
    const job: Job = {
      id: 'alpha:aa11',
      tenant: 'alpha',
      sha256: 'aa11',
      name: 'old.png',
      bytes: 10,
      type: 'png',
      mime: 'image/png',
      kind: 'image',
      state: 'done',
      attempts: 1,
      createdAt: 1,
      updatedAt: 2,
    }
    const meta = { sha256: 'aa11', name: 'old.png', mime: 'image/png', bytes: 10 }
    const thumbnail = new Blob(['thumb'], { type: 'image/webp' })
    // Version 1 as it shipped: jobs by tenant, results keyed by job id without a tenant field.
    const v1 = await openDB(dbName, 1, {
      upgrade(db) {
        db.createObjectStore('jobs', { keyPath: 'id' }).createIndex('by-tenant', 'tenant')
        db.createObjectStore('results', { keyPath: 'id' })
      },
    })
    await v1.put('jobs', job)
    await v1.put('results', {
      id: job.id,
      meta: { ...meta, kind: 'image', status: 'ready', width: 4, height: 3 },
      thumbnail,
    })
    v1.close()

    const db = await openStore(dbName)
    const migrated = await db.getAllFromIndex('results', 'by-tenant', 'alpha')
    const names = [...db.objectStoreNames]
    db.close()
    const processor = await createProcessor({
      tenant: 'alpha',
      dbName,
      createWorker: scriptedWorker,
    })
    defer(() => processor.close())
    const jobs = await until(processor, (jobs) => jobs.length === 1)
    const result = await processor.result(job.id)

    expect(db.version).toBe(DB_VERSION)
    expect(names).toEqual(['jobs', 'originals', 'results', 'thumbnails'])
    expect(migrated).toHaveLength(1)
    expect(jobs).toEqual([job])
    expect(result?.meta).toMatchObject({ name: 'old.png', status: 'ready', width: 4 })
    expect(await result?.thumbnail?.text()).toBe('thumb')
    expect(await (await processor.thumbnail(job.id))?.text()).toBe('thumb')
  })

  it('moves version-2 thumbnails to their own store, keeping the rest of each result', async () => {
    const dbName = `quire-test-v2-${crypto.randomUUID()}`
    defer(() => deleteDB(dbName))
    const meta = { sha256: 'bb22', name: 'old.pdf', mime: 'application/pdf', bytes: 10 }
    const ready = { ...meta, kind: 'pdf', status: 'ready', pages: 2 }
    const failed = { ...meta, sha256: 'cc33', kind: null, status: 'failed' }
    // Version 2 as it shipped: results by tenant with the thumbnail inside, and originals.
    const v2 = await openDB(dbName, 2, {
      upgrade(db) {
        db.createObjectStore('jobs', { keyPath: 'id' }).createIndex('by-tenant', 'tenant')
        db.createObjectStore('results', { keyPath: 'id' }).createIndex('by-tenant', 'tenant')
        db.createObjectStore('originals', { keyPath: 'id' }).createIndex('by-tenant', 'tenant')
      },
    })
    const thumbnail = new Blob(['page one'], { type: 'image/webp' })
    await v2.put('results', {
      id: 'alpha:bb22',
      tenant: 'alpha',
      meta: ready,
      thumbnail,
      text: 'the text of two pages',
    })
    await v2.put('results', { id: 'beta:cc33', tenant: 'beta', meta: failed })
    v2.close()

    const db = await openStore(dbName)
    const moved = await db.getAll('thumbnails')
    const records = await db.getAll('results')
    const alpha = await db.getAllFromIndex('thumbnails', 'by-tenant', 'alpha')
    db.close()
    const processor = await createProcessor({
      tenant: 'alpha',
      dbName,
      createWorker: scriptedWorker,
    })
    defer(() => processor.close())
    const result = await processor.result('alpha:bb22')

    expect(db.version).toBe(DB_VERSION)
    expect(
      moved.map((t) => t.id),
      'only the result that had one',
    ).toEqual(['alpha:bb22'])
    expect(alpha, 'indexed by tenant').toHaveLength(1)
    expect(
      records.every((r) => !('thumbnail' in r)),
      'results no longer hold them',
    ).toBe(true)
    expect(records.find((r) => r.id === 'beta:cc33')?.meta).toEqual(failed)
    expect(await (await processor.thumbnail('alpha:bb22'))?.text()).toBe('page one')
    expect(result?.meta).toEqual(ready)
    expect(result?.text).toBe('the text of two pages')
    expect(await result?.thumbnail?.text()).toBe('page one')
  })
})
