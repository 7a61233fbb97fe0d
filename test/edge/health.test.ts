import { exports } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'

describe('GET /v1/health', () => {
  it('answers ok without a token', async () => {
    const res = await exports.default.fetch('http://quire.test/v1/health')

    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ ok: true })
  })
})
