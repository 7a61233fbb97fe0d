import { describe, expect, it } from 'vitest'
import { openStore } from '../../web/store/db'
import { putJobAndOriginal } from '../../web/store/jobs'
import {
  byName,
  countingFactory,
  freshProcessor,
  scripted,
  settled,
  tagOf,
  until,
  useProcessorSetup,
  waitFor,
} from './fixtures/files'
import type { Job, Processor } from '../../web/jobs/job'

const { setup } = useProcessorSetup()

/** Ids that turn `done` while `processor` is watched, ignoring those done from the start. */
function watchFinishes(processor: Processor): string[] {
  const finished: string[] = []
  const seen = new Map<string, Job['state']>()
  let first = true
  processor.subscribe((jobs) => {
    for (const job of jobs) {
      const before = seen.get(job.id)
      if (job.state === 'done' && before !== 'done' && !first) finished.push(job.id)
      seen.set(job.id, job.state)
    }
    first = false
  })
  return finished
}

describe('processor across reloads', () => {
  it('finishes every job exactly once when closed mid-batch and opened again', async () => {
    const { processor, open, channel } = await setup({ poolSize: 2 })
    const gate = scripted('gate', 'gate.png')
    const files = [gate, ...Array.from({ length: 7 }, (_, i) => scripted('slow', `${i}.png`))]
    const tags = await Promise.all(files.map(tagOf))
    const gateTag = tags[0]!
    const finishedBefore = watchFinishes(processor)

    await processor.add(files)
    await waitFor(() => channel.starts.includes(gateTag))
    await until(processor, (jobs) => jobs.filter((job) => job.state === 'done').length >= 2)
    await processor.close()
    const startsBefore = channel.starts.length
    const reopened = await open()
    const finishedAfter = watchFinishes(reopened)
    await waitFor(() => channel.starts.slice(startsBefore).includes(gateTag))
    channel.release(gateTag)
    const jobs = await until(reopened, (jobs) => jobs.length === 8 && settled(jobs))
    const restarted = channel.starts.slice(startsBefore)
    const doneBefore = new Set(finishedBefore)

    expect(jobs.map((job) => job.state)).toEqual(Array(8).fill('done'))
    expect(byName(jobs)['gate.png']?.attempts).toBe(1)
    expect(channel.ends.filter((tag) => tag === gateTag)).toHaveLength(1)
    expect([...finishedBefore, ...finishedAfter].sort()).toEqual(jobs.map((job) => job.id).sort())
    expect(finishedAfter.filter((id) => doneBefore.has(id))).toEqual([])
    for (const job of jobs.filter((job) => doneBefore.has(job.id))) {
      expect(restarted).not.toContain(tags[files.findIndex((file) => file.name === job.name)])
    }
    for (const job of jobs) expect((await reopened.result(job.id))?.meta.status).toBe('ready')
  })

  it('resumes a job the last page left running, and fails one that keeps killing the page', async () => {
    const dbName = `quire-test-${crypto.randomUUID()}`
    const db = await openStore(dbName)
    const base = {
      tenant: 'alpha',
      bytes: 1,
      type: 'png',
      mime: 'image/png',
      kind: 'image',
      state: 'running',
      createdAt: 1,
      updatedAt: 1,
    } as const
    const once: Job = { ...base, id: 'alpha:01', sha256: '01', name: 'once.png', attempts: 1 }
    const again: Job = { ...base, id: 'alpha:02', sha256: '02', name: 'again.png', attempts: 3 }
    await putJobAndOriginal(db, once, scripted('ok'))
    await putJobAndOriginal(db, again, scripted('ok'))
    db.close()
    const factory = countingFactory()

    const { processor } = await setup({ dbName, createWorker: factory.create })
    const jobs = byName(await until(processor, (jobs) => settled(jobs)))
    const result = await processor.result(again.id)

    expect(jobs['once.png']).toMatchObject({ state: 'done', attempts: 2 })
    expect(jobs['again.png']).toMatchObject({ state: 'failed', error: { code: 'worker_crashed' } })
    expect(result?.meta).toMatchObject({ status: 'failed', error: { code: 'worker_crashed' } })
    expect(factory.counts.created).toBe(1)
  })
})

describe('two pages on one tenant', () => {
  it('never both start the same queued job', async () => {
    const dbName = `quire-test-${crypto.randomUUID()}`
    const db = await openStore(dbName)
    const file = scripted('slow')
    const job: Job = {
      id: 'alpha:04',
      tenant: 'alpha',
      sha256: '04',
      name: 'shared.png',
      bytes: file.size,
      type: 'png',
      mime: 'image/png',
      kind: 'image',
      state: 'queued',
      attempts: 0,
      createdAt: 1,
      updatedAt: 1,
    }
    await putJobAndOriginal(db, job, file)
    db.close()

    const [first, second] = await Promise.all([setup({ dbName }), setup({ dbName })])
    const states = await Promise.all(
      [first, second].map(({ processor }) =>
        until(processor, ([job]) => job?.state === 'running' || job?.state === 'done'),
      ),
    )
    const [done] = await Promise.race([first, second].map((p) => until(p.processor, settled)))

    expect(states).toHaveLength(2)
    expect(done?.state).toBe('done')
    expect(first.channel.starts).toEqual([await tagOf(file)])
  })
})

describe('clean exit', () => {
  it('does not count a run cut short by a reload the page announced', async () => {
    const dbName = `quire-test-${crypto.randomUUID()}`
    const db = await openStore(dbName)
    const job: Job = {
      id: 'alpha:03',
      tenant: 'alpha',
      sha256: '03',
      name: 'reloaded.png',
      bytes: 1,
      type: 'png',
      mime: 'image/png',
      kind: 'image',
      state: 'running',
      attempts: 3,
      createdAt: 1,
      updatedAt: 1,
    }
    await putJobAndOriginal(db, job, scripted('ok'))
    db.close()
    localStorage.setItem(`quire:clean-exit:${dbName}:alpha`, JSON.stringify(['alpha:03#3']))

    const { processor } = await setup({ dbName })
    const [done] = await until(processor, settled)

    expect(done).toMatchObject({ state: 'done', attempts: 3 })
    expect(localStorage.getItem(`quire:clean-exit:${dbName}:alpha`)).toBeNull()
  })

  it('names the running jobs in localStorage when the page hides', async () => {
    const { processor, channel, dbName } = await setup({ poolSize: 1 })
    const file = scripted('gate')
    const tag = await tagOf(file)
    const key = `quire:clean-exit:${dbName}:alpha`

    const [job] = await processor.add([file])
    await waitFor(() => channel.starts.includes(tag))
    dispatchEvent(new PageTransitionEvent('pagehide'))
    const marks = JSON.parse(localStorage.getItem(key) ?? '[]')
    localStorage.removeItem(key)
    channel.release(tag)
    await until(processor, settled)

    expect(marks).toEqual([`${job!.id}#1`])
  })
})

describe('subscribe', () => {
  it('lists jobs newest first', async () => {
    const { processor } = await setup({ poolSize: 1 })

    await processor.add([scripted('ok', 'a.png'), scripted('ok', 'b.png')])
    await processor.add([scripted('ok', 'c.png')])
    const jobs = await until(processor, (jobs) => jobs.length === 3 && settled(jobs))

    expect(jobs.map((job) => job.name)).toEqual(['c.png', 'b.png', 'a.png'])
  })

  it('notifies at most once per animation frame during a large drop', async () => {
    const { processor } = await setup()
    let frame = 0
    let looping = true
    const tick = () => {
      frame++
      if (looping) requestAnimationFrame(tick)
    }
    requestAnimationFrame(tick)
    const frames: number[] = []
    processor.subscribe(() => frames.push(frame))
    const files = Array.from({ length: 300 }, (_, i) => new File([`not a document ${i}`], `${i}`))

    await processor.add(files)
    await until(processor, (jobs) => jobs.length === 300)
    looping = false
    const notifications = frames.slice(1)

    expect(new Set(notifications).size).toBe(notifications.length)
    expect(notifications.length).toBeLessThan(300)
  })
})

describe('backpressure', () => {
  it('runs one job at a time when the byte budget only fits one', async () => {
    const { processor, channel } = await setup({ poolSize: 3, maxBytesInFlight: 1 })
    const files = Array.from({ length: 5 }, (_, i) => scripted('slow', `${i}.png`))

    await processor.add(files)
    const jobs = await until(processor, (jobs) => jobs.length === 5 && settled(jobs))

    expect(jobs.map((job) => job.state)).toEqual(Array(5).fill('done'))
    expect(channel.maxRunning).toBe(1)
  })

  it('takes a drop of 1,000 files and finishes every one', async () => {
    const { processor, channel } = await setup({ poolSize: 2 })
    const files = Array.from({ length: 1000 }, (_, i) => scripted('ok', `${i}.png`))
    let firstStartBeforeIntakeEnded = false

    const added = processor.add(files)
    await waitFor(() => channel.starts.length > 0)
    const jobsAtFirstStart = await until(processor, () => true)
    firstStartBeforeIntakeEnded = jobsAtFirstStart.length < 1000
    await added
    const jobs = await until(processor, (jobs) => jobs.length === 1000 && settled(jobs))

    expect(jobs.every((job) => job.state === 'done')).toBe(true)
    expect(firstStartBeforeIntakeEnded).toBe(true)
    expect(channel.maxRunning).toBeLessThanOrEqual(2)
  })
})
