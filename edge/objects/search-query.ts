/** Most words a query may have; later ones are ignored. */
const MAX_TERMS = 16

/** Marks FTS5 puts around a match; noncharacters, stripped from stored text on the way in. */
export const MARK_START = '\uFDD0'
export const MARK_END = '\uFDD1'

/**
 * Turns what a person typed into a safe FTS5 MATCH expression: only runs of letters and digits
 * are kept, each becomes a quoted string (so `NEAR`, `AND`, `*`, `-`, `:` and parentheses are
 * plain words or nothing), all must match, and the last one also matches as a prefix.
 * Returns `null` when nothing searchable is left.
 *
 * @example
 * toMatchExpression('tax "2024 (draft') // '"tax" "2024" "draft"*'
 */
export function toMatchExpression(query: string): string | null {
  const words = query.normalize('NFKC').match(/[\p{L}\p{N}\p{M}]+/gu)
  if (!words) return null
  const unique = [...new Set(words.map((word) => word.toLowerCase()))].slice(0, MAX_TERMS)
  return unique.map((word, i) => `"${word}"${i === unique.length - 1 ? '*' : ''}`).join(' ')
}

/** Removes the snippet markers from text before it is stored, so only FTS5 can add them. */
export function stripMarks(text: string): string {
  return text.replaceAll(MARK_START, '\uFFFD').replaceAll(MARK_END, '\uFFFD')
}

/** Escapes a snippet for HTML, then turns the FTS5 markers into `<mark>` elements. */
export function snippetHtml(snippet: string): string {
  return escapeHtml(snippet).replaceAll(MARK_START, '<mark>').replaceAll(MARK_END, '</mark>')
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ENTITIES[char]!)
}
