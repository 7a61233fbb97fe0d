import { OpenAPIHono } from '@hono/zod-openapi'
import { ApiError } from '../errors'
import { ErrorBody } from '../schemas'
import type { Hook } from '@hono/zod-openapi'
import type { Env } from '../env'
import type { TenantVariables } from '../middleware/auth'

export type AppEnv = { Bindings: Env; Variables: Partial<TenantVariables> }
export type TenantEnv = { Bindings: Env; Variables: TenantVariables }

/** Turns a schema failure into `invalid_request`, naming the field, the rule and the value. */
const validationHook: Hook<unknown, AppEnv, string, unknown> = (result) => {
  if (result.success) return
  const lines = result.error.issues.slice(0, 5).map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join('.') : result.target
    return `${where}: ${issue.message}`
  })
  throw new ApiError('invalid_request', lines.join('; '))
}

/** A router whose schema failures become our error shape. */
export function router<E extends AppEnv | TenantEnv = TenantEnv>() {
  return new OpenAPIHono<E>({
    defaultHook: validationHook as unknown as Hook<unknown, E, string, unknown>,
  })
}

const errorContent = { 'application/json': { schema: ErrorBody } }

/** OpenAPI entries for the error statuses a route can answer. */
export function errors(...statuses: (400 | 401 | 404 | 409 | 413 | 415 | 429)[]) {
  const text: Record<number, string> = {
    400: 'invalid_request or invalid_json',
    401: 'unauthorized',
    404: 'not_found',
    409: 'quota_exceeded or conflict',
    413: 'payload_too_large',
    415: 'unsupported_media_type',
    429: 'rate_limited, with Retry-After',
  }
  return Object.fromEntries(
    statuses.map((status) => [status, { description: text[status]!, content: errorContent }]),
  )
}

export const bearerSecurity = [{ bearer: [] }]
