import { describe, expect, it } from 'vitest'
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

const processorSetup = useProcessorSetup()

async function setup(options: Parameters<typeof processorSetup.setup>[0] = {}) {
  const factory = countingFactory()
  const fresh = await processorSetup.setup({ createWorker: factory.create, ...options })
  return { ...fresh, counts: factory.counts }
}

describe('worker pool', () => {
  it('never runs more jobs or workers than its size under a burst', async () => {
    const { processor, channel, counts } = await setup({ poolSize: 2 })
    const files = Array.from({ length: 8 }, (_, i) => scripted('gate', `gate-${i}.png`))
    const tags = await Promise.all(files.map(tagOf))
    let mostRunning = 0
    processor.subscribe((jobs) => {
      const running = jobs.filter((job) => job.state === 'running').length
      mostRunning = Math.max(mostRunning, running)
    })

    await processor.add(files)
    for (const tag of tags) {
      await waitFor(() => channel.starts.includes(tag))
      channel.release(tag)
    }
    const jobs = await until(processor, settled)

    expect(jobs.map((job) => job.state)).toEqual(Array(8).fill('done'))
    expect(channel.maxRunning).toBe(2)
    // A job still shows as running while its result is recorded, which overlaps the next job
    // on the same worker; prepared jobs waiting for a worker show as queued.
    expect(mostRunning).toBeLessThanOrEqual(4)
    expect(counts.created).toBe(2)
  })

  it.each([
    ['hang', 'timeout'],
    ['throw', 'worker_crashed'],
    ['uncaught', 'worker_crashed'],
    ['oom', 'worker_crashed'],
  ])('contains a worker that does %s, fails it %s and runs the next job', async (cmd, code) => {
    const { processor, counts } = await setup({
      poolSize: 1,
      deadline: { baseMs: 3_000, msPerMiB: 0 },
      retry: { autoRetries: 0 },
    })

    await processor.add([scripted(cmd, 'bad.png'), scripted('ok', 'good.png')])
    const jobs = byName(await until(processor, settled))

    expect(jobs['bad.png']).toMatchObject({ state: 'failed', attempts: 1, error: { code } })
    expect(jobs['good.png']).toMatchObject({ state: 'done' })
    expect(counts.created).toBe(2)
  })

  it('retries a timed-out job once on its own, then fails it for good', async () => {
    const { processor, channel } = await setup({
      poolSize: 1,
      deadline: { baseMs: 500, msPerMiB: 0 },
      retry: { autoRetries: 1 },
    })
    const file = scripted('hang')
    const tag = await tagOf(file)

    await processor.add([file])
    const [job] = await until(processor, settled)

    expect(job).toMatchObject({ state: 'failed', attempts: 2, error: { code: 'timeout' } })
    expect(channel.starts.filter((t) => t === tag)).toHaveLength(2)
  })

  it('replaces a worker that fails while idle before giving it the next job', async () => {
    const { processor, counts } = await setup({ poolSize: 1, retry: { autoRetries: 0 } })

    await processor.add([scripted('late', 'first.png')])
    await until(processor, settled)
    await new Promise((resolve) => setTimeout(resolve, 200))
    await processor.add([scripted('ok', 'second.png')])
    const jobs = byName(await until(processor, (jobs) => jobs.length === 2 && settled(jobs)))

    expect(jobs['first.png']?.state).toBe('done')
    expect(jobs['second.png']?.state).toBe('done')
    expect(counts.created).toBe(2)
  })

  it('keeps the worker when the job fails with an AppError of its own', async () => {
    const { processor, counts } = await setup({ poolSize: 1 })

    await processor.add([scripted('corrupt', 'bad.png'), scripted('ok', 'good.png')])
    const jobs = byName(await until(processor, settled))

    expect(jobs['bad.png']).toMatchObject({ state: 'failed', error: { code: 'corrupt' } })
    expect(jobs['good.png']?.state).toBe('done')
    expect(counts.created).toBe(1)
  })

  it('reports progress from the worker while a job runs', async () => {
    const { processor, channel } = await setup({ poolSize: 1 })
    const file = scripted('gate')
    const tag = await tagOf(file)

    await processor.add([file])
    const [running] = await until(processor, (jobs) => jobs[0]?.progress !== undefined)
    channel.release(tag)
    const [done] = await until(processor, settled)

    expect(running?.progress).toEqual({ stage: 'decode', fraction: 0.5 })
    expect(done?.state).toBe('done')
    expect(done?.progress).toBeUndefined()
  })

  it('terminates an idle worker and starts a new one for the next job', async () => {
    const { processor, counts } = await setup({ poolSize: 1, idleTimeoutMs: 50 })

    await processor.add([scripted('ok')])
    await until(processor, settled)
    await new Promise((resolve) => setTimeout(resolve, 300))
    await processor.add([scripted('ok')])
    const jobs = await until(processor, (jobs) => jobs.length === 2 && settled(jobs))

    expect(jobs.map((job) => job.state)).toEqual(['done', 'done'])
    expect(counts.created).toBe(2)
  })
})

describe('cancel', () => {
  it('never starts a queued job that is cancelled', async () => {
    const { processor, channel } = await setup({ poolSize: 1 })
    const first = scripted('gate', 'first.png')
    const second = scripted('ok', 'second.png')
    const [firstTag, secondTag] = await Promise.all([tagOf(first), tagOf(second)])

    const [, queued] = await processor.add([first, second])
    await waitFor(() => channel.starts.includes(firstTag))
    await processor.cancel(queued!.id)
    channel.release(firstTag)
    const jobs = byName(await until(processor, settled))

    expect(jobs['first.png']?.state).toBe('done')
    expect(jobs['second.png']).toMatchObject({ state: 'cancelled', error: { code: 'cancelled' } })
    expect(channel.starts).not.toContain(secondTag)
  })

  it('stops a running job by terminating its worker, and the pool goes on', async () => {
    const { processor, channel, counts } = await setup({ poolSize: 1 })
    const running = scripted('gate', 'running.png')
    const tag = await tagOf(running)

    const [job] = await processor.add([running])
    await waitFor(() => channel.starts.includes(tag))
    await processor.cancel(job!.id)
    await processor.add([scripted('ok', 'next.png')])
    const jobs = byName(await until(processor, (jobs) => jobs.length === 2 && settled(jobs)))

    expect(jobs['running.png']?.state).toBe('cancelled')
    expect(jobs['next.png']?.state).toBe('done')
    expect(channel.ends).not.toContain(tag)
    expect(counts.created).toBe(2)
  })

  it('cancels a whole batch, running and queued', async () => {
    const { processor, channel } = await setup({ poolSize: 2 })
    const files = Array.from({ length: 6 }, (_, i) => scripted('gate', `${i}.png`))

    await processor.add(files)
    await waitFor(() => channel.starts.length === 2)
    await processor.cancelAll()
    const jobs = await until(processor, settled)

    expect(jobs.map((job) => job.state)).toEqual(Array(6).fill('cancelled'))
    expect(channel.starts).toHaveLength(2)
    expect(channel.ends).toHaveLength(0)
  })

  it('stops taking in the rest of a drop when the batch is cancelled', async () => {
    const { processor, channel } = await setup({ poolSize: 1 })
    const files = Array.from({ length: 300 }, (_, i) => scripted('gate', `${i}.png`))

    const added = processor.add(files)
    await waitFor(() => channel.starts.length === 1)
    await processor.cancelAll()
    const taken = await added
    const jobs = await until(processor, settled)

    expect(taken.length).toBeLessThan(300)
    expect(jobs).toHaveLength(taken.length)
    expect(jobs.every((job) => job.state === 'cancelled')).toBe(true)
    expect(channel.starts).toHaveLength(1)
  })
})

describe('retry', () => {
  it('re-runs an encrypted PDF with the password the person gives', async () => {
    const { processor } = await setup({ poolSize: 1 })

    const [job] = await processor.add([scripted('encrypted')])
    const [locked] = await until(processor, settled)
    await processor.retry(job!.id, 'nope')
    const [wrong] = await until(processor, (jobs) => jobs[0]?.error?.code === 'wrong_password')
    await processor.retry(job!.id, 'secret')
    const [open] = await until(processor, (jobs) => jobs[0]?.state === 'done')

    expect(locked).toMatchObject({ state: 'failed', error: { code: 'encrypted' } })
    expect(wrong).toMatchObject({ state: 'failed', attempts: 1 })
    expect(open).toMatchObject({ state: 'done', attempts: 1 })
    expect(open?.error).toBeUndefined()
  })

  it('re-queues a timed-out job when the person asks, with a fresh count', async () => {
    const { processor } = await setup({
      poolSize: 1,
      deadline: { baseMs: 300, msPerMiB: 0 },
      retry: { autoRetries: 0 },
    })

    const [job] = await processor.add([scripted('hang')])
    await until(processor, settled)
    await processor.retry(job!.id)
    const [again] = await until(processor, (jobs) => settled(jobs) && jobs[0]?.attempts === 1)

    expect(again).toMatchObject({ state: 'failed', attempts: 1, error: { code: 'timeout' } })
  })
})
