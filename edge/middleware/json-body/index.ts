import { createMiddleware } from 'hono/factory'
import { ApiError } from '../../errors'

const JSON_TYPE = /^application\/([\w.-]+\+)?json\s*(;|$)/i

/**
 * Parses the request body as JSON before the schema validator sees it, so a truncated, empty
 * or non-JSON body is a 400 `invalid_json` (or 415) with our error shape rather than a 500.
 * Hono's request caches the text, so the validator reads the same body again.
 */
export function jsonBody() {
  return createMiddleware(async function jsonBody(c, next) {
    const text = await c.req.text()
    if (text.trim() === '') throw new ApiError('invalid_json', 'the request body is empty')
    if (!JSON_TYPE.test(c.req.header('content-type') ?? '')) {
      throw new ApiError('unsupported_media_type', 'send Content-Type: application/json')
    }
    try {
      JSON.parse(text)
    } catch (error) {
      throw new ApiError('invalid_json', 'the request body is not valid JSON', { cause: error })
    }
    await next()
  })
}
