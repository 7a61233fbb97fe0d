import { afterEach, describe, expect, it } from 'vitest'
import { ApiClient, ApiError } from '../../../web/api/client'
import { Outbox } from '../../../web/sync/outbox'
import type { DocumentPut } from '../../../web/api/client'
import type { OutboxStatus } from '../../../web/sync/outbox'

type Call = { route: 'meta' | 'thumbnail'; sha256: string; token: string }

/** A stand-in API that records calls and answers from a script, then with success. */
function fakeApi(script: (call: Call) => ApiError | undefined = () => undefined) {
  const calls: Call[] = []
  const answer = async (call: Call) => {
    calls.push(call)
    const error = script(call)
    if (error) throw error
  }
  const api = {
    putDocument: (token: string, sha256: string) => answer({ route: 'meta', sha256, token }),
    putThumbnail: (token: string, sha256: string) => answer({ route: 'thumbnail', sha256, token }),
  } as unknown as ApiClient
  return { api, calls }
}

const meta = (name: string, status: DocumentPut['status'] = 'ready'): DocumentPut => ({
  name,
  mime: 'image/png',
  bytes: 10,
  kind: 'image',
  status,
})
const webp = () => new Blob([new Uint8Array([1, 2, 3])], { type: 'image/webp' })

let opened: Outbox[] = []
let dbName = ''

function open(api: ApiClient, tokens: Record<string, string> = { t1: 'tok' }): Outbox {
  const outbox = new Outbox({
    api,
    tokenFor: (tenant) => tokens[tenant],
    dbName,
    backoff: { baseMs: 20, capMs: 100 },
  })
  opened.push(outbox)
  return outbox
}

async function settled(outbox: Outbox, check: (status: OutboxStatus) => boolean): Promise<void> {
  await new Promise<void>((resolve) => {
    const stop = outbox.subscribe((status) => {
      if (!check(status)) return
      queueMicrotask(() => stop())
      resolve()
    })
  })
}

describe('Outbox', () => {
  afterEach(async () => {
    for (const outbox of opened) outbox.close()
    opened = []
    await new Promise((resolve) => setTimeout(resolve, 10))
    indexedDB.deleteDatabase(dbName)
  })

  it('reports its counts as not loaded until it has read them from its store', async () => {
    dbName = `outbox-${crypto.randomUUID()}`
    const first = open(fakeApi(() => new ApiError(401, 'unauthorized', 'no')).api)
    await first.enqueue('t1', 'aa', meta('a.png'), webp())
    await settled(first, (s) => s.unauthorized.length > 0)
    first.close()
    const seen: OutboxStatus[] = []

    const reopened = open(fakeApi().api)
    reopened.subscribe((status) => void seen.push(status))
    await settled(reopened, (s) => s.loaded)

    expect(seen[0], 'the first status, before the store is read').toMatchObject({ loaded: false })
    expect(seen.find((s) => s.loaded)?.pending, 'the queued entries, once read').toBeGreaterThan(0)
  })

  it('sends metadata before the thumbnail, once, however often it is queued', async () => {
    dbName = `outbox-${crypto.randomUUID()}`
    const { api, calls } = fakeApi()
    const outbox = open(api)

    await outbox.enqueue('t1', 'aa', meta('a.png'), webp())
    await outbox.enqueue('t1', 'aa', meta('a.png'), webp())
    await settled(outbox, (s) => s.pending === 0 && !s.sending)
    await outbox.enqueue('t1', 'aa', meta('a.png'), webp())
    await outbox.drain()

    expect(calls.map((c) => c.route)).toEqual(['meta', 'thumbnail'])
    expect(calls[0]?.token).toBe('tok')
    expect(await outbox.wasSent('t1', 'aa', 'ready')).toBe(true)
  })

  it('sends the metadata again when a retried failure becomes ready', async () => {
    dbName = `outbox-${crypto.randomUUID()}`
    const { api, calls } = fakeApi()
    const outbox = open(api)

    await outbox.enqueue('t1', 'bb', meta('b.pdf', 'failed'))
    await outbox.drain()
    await outbox.enqueue('t1', 'bb', meta('b.pdf', 'ready'), webp())
    await outbox.drain()
    await settled(outbox, (s) => s.pending === 0 && !s.sending)

    expect(calls.map((c) => c.route)).toEqual(['meta', 'meta', 'thumbnail'])
  })

  it('retries 503 and network errors with backoff until they succeed', async () => {
    dbName = `outbox-${crypto.randomUUID()}`
    let failures = 0
    const { api, calls } = fakeApi(() => {
      failures++
      if (failures === 1) return new ApiError(503, 'server_error', 'down', 0)
      if (failures === 2) return new ApiError(0, 'network', 'offline')
      return undefined
    })
    const outbox = open(api)

    await outbox.enqueue('t1', 'cc', meta('c.png'))
    await settled(outbox, (s) => s.pending === 0 && !s.sending)

    expect(calls).toHaveLength(3)
    expect(calls.every((c) => c.route === 'meta')).toBe(true)
  })

  it('gives up on other 4xx answers and keeps them as failed', async () => {
    dbName = `outbox-${crypto.randomUUID()}`
    const { api, calls } = fakeApi(() => new ApiError(400, 'invalid_request', 'bad name'))
    const outbox = open(api)

    await outbox.enqueue('t1', 'dd', meta('d.png'), webp())
    await settled(outbox, (s) => s.failed === 1 && !s.sending)
    await outbox.drain()

    expect(calls.map((c) => c.route)).toEqual(['meta'])
    let status: OutboxStatus | undefined
    outbox.subscribe((s) => (status = s))()
    expect(status?.lastError?.code).toBe('invalid_request')
    expect(status?.pending).toBe(1)

    await outbox.dismissFailed('t1')

    outbox.subscribe((s) => (status = s))()
    expect(status).toMatchObject({ pending: 0, failed: 0 })
  })

  it('stops a tenant on 401 until it is resumed', async () => {
    dbName = `outbox-${crypto.randomUUID()}`
    let refuse = true
    const { api, calls } = fakeApi(() =>
      refuse ? new ApiError(401, 'unauthorized', 'bad token') : undefined,
    )
    const outbox = open(api)

    await outbox.enqueue('t1', 'ee', meta('e.png'))
    await settled(outbox, (s) => s.unauthorized.includes('t1') && !s.sending)
    await outbox.drain()
    expect(calls).toHaveLength(1)

    refuse = false
    outbox.resume('t1')
    await settled(outbox, (s) => s.pending === 0 && s.unauthorized.length === 0 && !s.sending)
    expect(calls).toHaveLength(2)
  })

  it('keeps unsent entries across a reopen and drains them on online', async () => {
    dbName = `outbox-${crypto.randomUUID()}`
    const offline = fakeApi(() => new ApiError(0, 'network', 'offline'))
    const first = open(offline.api)
    await first.enqueue('t1', 'ff', meta('f.png'), webp())
    await settled(first, (s) => s.pending === 2 && !s.sending)
    first.close()

    const online = fakeApi()
    const second = open({ ...online.api } as ApiClient, { t1: 'tok' })
    dispatchEvent(new Event('online'))
    await settled(second, (s) => online.calls.length === 2 && s.pending === 0 && !s.sending)

    expect(online.calls.map((c) => c.route)).toEqual(['meta', 'thumbnail'])
  })

  it('forgets a tenant on clearTenant and leaves other tenants alone', async () => {
    dbName = `outbox-${crypto.randomUUID()}`
    const { api } = fakeApi(() => new ApiError(0, 'network', 'offline'))
    const outbox = open(api, { t1: 'a', t2: 'b' })
    await outbox.enqueue('t1', 'g1', meta('g.png'))
    await outbox.enqueue('t2', 'g2', meta('g.png'))

    await outbox.clearTenant('t1')

    await settled(outbox, (s) => s.pending === 1)
  })
})

/** A real client over a stand-in `fetch` that records `METHOD path` and answers from a script. */
function fakeFetch(answer: (method: string, path: string) => number | 'offline' = () => 200) {
  const calls: string[] = []
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const method = init?.method ?? 'GET'
    const path = new URL(String(input), location.origin).pathname
    calls.push(`${method} ${path}`)
    const status = answer(method, path)
    if (status === 'offline') throw new TypeError('Failed to fetch')
    if (status === 204) return new Response(null, { status })
    const body = status < 300 ? '{}' : '{"error":{"code":"not_found","message":"no such document"}}'
    return new Response(body, { status, headers: { 'Content-Type': 'application/json' } })
  }
  return { api: new ApiClient({ fetch: fetch as typeof globalThis.fetch }), calls }
}

describe('Outbox deletes', () => {
  afterEach(async () => {
    for (const outbox of opened) outbox.close()
    opened = []
    await new Promise((resolve) => setTimeout(resolve, 10))
    indexedDB.deleteDatabase(dbName)
  })

  it('supersedes unsent metadata and thumbnail, and survives a reopen while offline', async () => {
    dbName = `outbox-${crypto.randomUUID()}`
    const offline = fakeFetch(() => 'offline')
    const first = open(offline.api)
    await first.enqueue('t1', 'd1', meta('gone.png'), webp())
    await settled(first, (s) => s.pending === 2 && !s.sending)

    await first.enqueueDelete('t1', 'd1')
    await settled(first, (s) => s.pending === 1 && !s.sending)
    first.close()

    expect(offline.calls, 'the thumbnail never went out').not.toContain(
      'PUT /v1/documents/d1/thumbnail',
    )

    const online = fakeFetch((method) => (method === 'DELETE' ? 204 : 200))
    const second = open(online.api)
    dispatchEvent(new Event('online'))
    await settled(second, (s) => online.calls.length === 1 && s.pending === 0 && !s.sending)

    expect(online.calls, 'the delete alone, no PUT').toEqual(['DELETE /v1/documents/d1'])
    expect(await second.wasSent('t1', 'd1', 'ready')).toBe(false)
  })

  it('counts 404 as done and sends the same file again when it is added back', async () => {
    dbName = `outbox-${crypto.randomUUID()}`
    const { api, calls } = fakeFetch((method) => (method === 'DELETE' ? 404 : 200))
    const outbox = open(api)
    await outbox.enqueue('t1', 'd2', meta('back.png'), webp())
    await settled(outbox, (s) => s.pending === 0 && !s.sending)
    expect(await outbox.wasSent('t1', 'd2', 'ready')).toBe(true)

    await outbox.enqueueDelete('t1', 'd2')
    await settled(outbox, (s) => calls.length === 3 && s.pending === 0 && !s.sending)

    let status: OutboxStatus | undefined
    outbox.subscribe((s) => (status = s))()
    expect(status, 'a 404 is not a refusal').toMatchObject({ pending: 0, failed: 0 })
    expect(await outbox.wasSent('t1', 'd2', 'ready'), 'the sent record is gone').toBe(false)

    await outbox.enqueue('t1', 'd2', meta('back.png'), webp())
    await settled(outbox, (s) => calls.length === 5 && s.pending === 0 && !s.sending)

    expect(calls).toEqual([
      'PUT /v1/documents/d2',
      'PUT /v1/documents/d2/thumbnail',
      'DELETE /v1/documents/d2',
      'PUT /v1/documents/d2',
      'PUT /v1/documents/d2/thumbnail',
    ])
  })

  it('drops a queued delete when the file is added back before it is sent', async () => {
    dbName = `outbox-${crypto.randomUUID()}`
    let online = false
    const { api, calls } = fakeFetch(() => (online ? 200 : 'offline'))
    const outbox = open(api)
    await outbox.enqueueDelete('t1', 'd3')
    await settled(outbox, (s) => s.pending === 1 && !s.sending)

    online = true
    const before = calls.length
    await outbox.enqueue('t1', 'd3', meta('again.png'))
    await settled(outbox, (s) => s.pending === 0 && !s.sending)

    expect(calls.slice(before), 'the upsert alone, no delete').toEqual(['PUT /v1/documents/d3'])
  })
})
