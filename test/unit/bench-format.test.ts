import { describe, expect, it } from 'vitest'
import {
  formatBytes,
  formatMs,
  formatRate,
  formatRatio,
  formatVerdict,
  renderTable,
} from '../../bench/lib/format.mjs'

describe('formatMs', () => {
  it('keeps about three significant digits and switches to seconds from 1 s', () => {
    expect(formatMs(0.4219)).toBe('0.42 ms')
    expect(formatMs(12.34)).toBe('12.3 ms')
    expect(formatMs(812.4)).toBe('812 ms')
    expect(formatMs(3214)).toBe('3.21 s')
    expect(formatMs(42_000)).toBe('42.0 s')
  })

  it('prints n/a for a missing figure', () => {
    expect(formatMs(null)).toBe('n/a')
    expect(formatMs(Number.NaN)).toBe('n/a')
  })
})

describe('formatRatio', () => {
  it('prints a ratio with a times sign', () => {
    expect(formatRatio(1.834)).toBe('1.83×')
    expect(formatRatio(0.5)).toBe('0.50×')
    expect(formatRatio(12.34)).toBe('12.3×')
    expect(formatRatio(250)).toBe('250×')
  })

  it('prints n/a when the ratio could not be taken', () => {
    expect(formatRatio(null)).toBe('n/a')
  })
})

describe('formatBytes', () => {
  it('uses binary units', () => {
    expect(formatBytes(512)).toBe('512 B')
    expect(formatBytes(3.5 * 1024)).toBe('3.5 KiB')
    expect(formatBytes(120.5 * 1024 * 1024)).toBe('120.5 MiB')
    expect(formatBytes(-2048)).toBe('-2.0 KiB')
  })
})

describe('formatRate', () => {
  it('appends the unit', () => {
    expect(formatRate(4.254, 'files/s')).toBe('4.25 files/s')
    expect(formatRate(undefined, 'MP/s')).toBe('n/a')
  })
})

describe('formatVerdict', () => {
  it('tells met, not met and unmeasured apart', () => {
    expect(formatVerdict(true)).toBe('met')
    expect(formatVerdict(false)).toBe('NOT MET')
    expect(formatVerdict(null)).toBe('n/a')
  })
})

describe('renderTable', () => {
  it('pads columns, right-aligns numbers and rules off the header', () => {
    const table = renderTable([
      ['input', 'median'],
      ['a.jpg', '12.3 ms'],
      ['long-name.png', '1.20 s'],
    ])

    expect(table.split('\n')).toEqual([
      'input          median',
      '-------------  -------',
      'a.jpg          12.3 ms',
      'long-name.png   1.20 s',
    ])
  })
})
