import { ApiError } from '../errors'

/** An opaque cursor for a position in a list (`d`: documents by id, `s`: search offset). */
export function encodeCursor(kind: 'd' | 's', position: number | null): string | null {
  if (position === null) return null
  return btoa(`${kind}${position}`).replace(/=+$/, '')
}

/** Reads a cursor made by `encodeCursor`; anything else is a 400. */
export function decodeCursor(kind: 'd' | 's', cursor: string | undefined): number | null {
  if (cursor === undefined || cursor === '') return null
  let text: string
  try {
    text = atob(cursor)
  } catch {
    throw badCursor()
  }
  const match = new RegExp(`^${kind}(\\d{1,15})$`).exec(text)
  if (!match) throw badCursor()
  return Number(match[1])
}

function badCursor(): ApiError {
  return new ApiError('invalid_request', 'cursor: not a cursor this list gave out')
}
