import { describe, expect, it } from 'vitest'
import { codeForStatus } from '../../edge/errors'
import { snippetHtml, toMatchExpression } from '../../edge/objects/search-query'
import { TokenBucket } from '../../edge/objects/token-bucket'
import { decodeCursor, encodeCursor } from '../../edge/routes/cursor'
import { isWebp } from '../../edge/routes/documents'
import { clip } from '../../edge/schemas'
import { parseToken } from '../../edge/tokens'
import { webp } from './helpers'

describe('toMatchExpression', () => {
  it.each([
    ['tax report', '"tax" "report"*'],
    ['tax "2024 (draft', '"tax" "2024" "draft"*'],
    ['NEAR(a b)', '"near" "a" "b"*'],
    ['-secret* OR x', '"secret" "or" "x"*'],
    ['Tax tax TAX', '"tax"*'],
    ['*', null],
    ['"" () - :', null],
  ])('turns %j into %j', (query, expected) => {
    expect(toMatchExpression(query)).toBe(expected)
  })

  it('keeps at most 16 words', () => {
    const words = Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ')

    expect(toMatchExpression(words)!.split(' ')).toHaveLength(16)
  })
})

describe('snippetHtml', () => {
  it('escapes the text, then marks the matches', () => {
    expect(snippetHtml('a <b>&\uFDD0"x"\uFDD1 \'')).toBe(
      'a &lt;b&gt;&amp;<mark>&quot;x&quot;</mark> &#39;',
    )
  })
})

describe('TokenBucket', () => {
  it('allows the burst, then asks to wait, then refills at the rate', () => {
    const bucket = new TokenBucket(2, 3, 0)

    expect([bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([0, 0, 0])
    expect(bucket.take(0)).toBe(1)
    expect(bucket.take(500)).toBe(0)
    expect(bucket.take(500)).toBe(1)
  })

  it('rounds a long wait up to whole seconds', () => {
    const bucket = new TokenBucket(0.1, 1, 0)
    bucket.take(0)

    expect(bucket.take(0)).toBe(10)
  })
})

describe('cursors', () => {
  it('round-trip and refuse the other list’s cursor', () => {
    const cursor = encodeCursor('d', 42)!

    expect(decodeCursor('d', cursor)).toBe(42)
    expect(() => decodeCursor('s', cursor)).toThrow()
    expect(encodeCursor('s', null)).toBeNull()
  })
})

describe('isWebp', () => {
  it('accepts a RIFF WEBP container whose size matches', () => {
    expect(isWebp(webp(30))).toBe(true)
  })

  it('refuses a cut or padded container', () => {
    expect(isWebp(webp(30).slice(0, 29))).toBe(false)
    expect(isWebp(new Uint8Array([...webp(30), 0]))).toBe(false)
  })
})

describe('parseToken', () => {
  it('reads the tenant and token id', () => {
    expect(parseToken(`qt_acme-1_0123456789ab_${'a'.repeat(43)}`)).toEqual({
      tenant: 'acme-1',
      tokenId: '0123456789ab',
    })
  })

  it.each([
    ['qt_acme_0123456789ab_short'],
    ['Bearer x'],
    [`qt_ACME_0123456789ab_${'a'.repeat(43)}`],
  ])('refuses %j', (token) => {
    expect(parseToken(token)).toBeNull()
  })
})

describe('codeForStatus', () => {
  it.each([
    [400, 'invalid_request'],
    [404, 'not_found'],
    [413, 'payload_too_large'],
    [418, 'invalid_request'],
    [503, 'internal'],
  ])('maps %i to %s', (status, code) => {
    expect(codeForStatus(status)).toBe(code)
  })
})

describe('clip', () => {
  it.each([
    ['short text', 'photo.jpg', 10, 'photo.jpg'],
    ['a cut at the limit', 'abcdef', 3, 'abc'],
    ['a cut inside a surrogate pair', 'ab\u{1F600}', 3, 'ab'],
    ['a whole pair at the limit', 'ab\u{1F600}', 4, 'ab\u{1F600}'],
    ['a lone high surrogate', '\ud800lone.jpg', 100, '\ufffdlone.jpg'],
    ['a lone low surrogate', 'x\udc00y', 100, 'x\ufffdy'],
  ])('keeps whole characters for %s', (_name, value, max, expected) => {
    expect(clip(value, max)).toBe(expected)
  })
})
