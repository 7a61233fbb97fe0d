import { hc } from 'hono/client'
import { describe, expect, expectTypeOf, it } from 'vitest'
import { call, createTenant, putDoc, sha } from './helpers'
import type { AppType } from '../../edge/app'

/** Sends hono/client's requests to the in-process app. */
function inProcess(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const url = new URL(input instanceof Request ? input.url : String(input))
  return call(`${url.pathname}${url.search}`, init)
}

describe('AppType', () => {
  it('types a hono/client that reads a document through the API', async () => {
    const tenant = await createTenant()
    await putDoc(tenant.token, sha(1))
    const client = hc<AppType>('http://quire.test', {
      fetch: inProcess,
      headers: { authorization: `Bearer ${tenant.token}` },
    })

    const res = await client.v1.documents[':sha256'].$get({ param: { sha256: sha(1) }, query: {} })

    expect(res.status).toBe(200)
    if (res.status !== 200) return
    const doc = await res.json()
    expectTypeOf(doc.status).toEqualTypeOf<'ready' | 'failed'>()
    expect(doc.sha256).toBe(sha(1))
  })
})
