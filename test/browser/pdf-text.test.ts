import { describe, expect, it } from 'vitest'
import { CappedText } from '../../wasm/pdf/text'
import { utf8Length } from '../../wasm/shared/utf8'

const bytesOf = (text: string) => new TextEncoder().encode(text).length

describe('utf8Length', () => {
  it.each([
    ['', 0],
    ['abc', 3],
    ['é', 2],
    ['世界', 6],
    ['😀', 4],
    ['\ud800x', 4],
  ])('counts %j as %i bytes like TextEncoder', (text, bytes) => {
    expect(utf8Length(text)).toBe(bytes)
    expect(utf8Length(text)).toBe(bytesOf(text))
  })
})

describe('CappedText', () => {
  it('joins pages with a form feed and counts their bytes', () => {
    const text = new CappedText(100)

    expect(text.add('one')).toBe(true)
    expect(text.add('twö')).toBe(true)

    expect(text.result()).toEqual({ text: 'one\ftwö', bytes: 8, truncated: false })
  })

  it('cuts at the cap on a character boundary and drops later pages', () => {
    const text = new CappedText(7)

    text.add('ab')
    expect(text.add('世界')).toBe(false)
    expect(text.add('more')).toBe(false)

    const result = text.result()
    expect(result).toEqual({ text: 'ab\f世', bytes: 6, truncated: true })
    expect(bytesOf(result.text)).toBe(result.bytes)
  })

  it('never splits a surrogate pair', () => {
    const text = new CappedText(5)

    text.add('a😀😀')

    expect(text.result()).toEqual({ text: 'a😀', bytes: 5, truncated: true })
  })

  it('is full once truncated', () => {
    const text = new CappedText(2)

    text.add('abc')

    expect(text.full).toBe(true)
  })

  it('returns no text for pages holding only whitespace, as in a scan', () => {
    const text = new CappedText(100)

    text.add('')
    text.add(' \n')
    text.add('')

    expect(text.result()).toEqual({ text: '', bytes: 0, truncated: false })
  })

  it('keeps a page that fits the cap exactly', () => {
    const text = new CappedText(3)

    expect(text.add('abc')).toBe(true)

    expect(text.result()).toEqual({ text: 'abc', bytes: 3, truncated: false })
  })
})
