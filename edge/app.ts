import { OpenAPIHono } from '@hono/zod-openapi'
import { bodyLimit } from 'hono/body-limit'
import { cors } from 'hono/cors'
import { createMiddleware } from 'hono/factory'
import { HTTPException } from 'hono/http-exception'
import { routePath } from 'hono/route'
import { secureHeaders } from 'hono/secure-headers'
import { ApiError, codeForStatus } from './errors'
import { adminAuth, tenantAuth } from './middleware/auth'
import { requestLog } from './middleware/request-log'
import { MAX_DOCUMENT_BODY, documents } from './routes/documents'
import { health } from './routes/health'
import { search } from './routes/search'
import { tenants } from './routes/tenants'
import { usage } from './routes/usage'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { Env } from './env'
import type { AppEnv } from './routes/router'

export interface AppOptions {
  /** Where request log lines go; `console.log` by default. */
  print?: (line: string) => void
}

/**
 * The whole API: security headers, CORS, the request log and body caps on every route, tenant
 * auth on tenant routes, the admin token on `/v1/tenants`, and one error handler.
 */
export function createApp(options: AppOptions = {}) {
  const app = new OpenAPIHono<AppEnv>()

  app.use(requestLog({ print: options.print }))
  app.use(
    secureHeaders({
      contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
      crossOriginOpenerPolicy: false,
      crossOriginEmbedderPolicy: false,
      crossOriginResourcePolicy: 'same-origin',
      referrerPolicy: 'no-referrer',
      xFrameOptions: 'DENY',
    }),
  )
  app.use(async function noStore(c, next) {
    await next()
    if (!c.res.headers.has('cache-control')) c.res.headers.set('cache-control', 'no-store')
  })
  app.use(
    '/v1/*',
    cors({
      origin: (origin, c) => (allowedOrigins(c.env as Env).includes(origin) ? origin : null),
      allowHeaders: ['authorization', 'content-type', 'if-none-match'],
      allowMethods: ['GET', 'PUT', 'POST', 'PATCH', 'DELETE'],
      maxAge: 600,
    }),
  )
  app.use('/v1/*', bodyCap())
  for (const path of ['/v1/documents', '/v1/search', '/v1/usage']) {
    app.use(path, tenantAuth())
    app.use(`${path}/*`, tenantAuth())
  }
  app.use('/v1/tenants', adminAuth())
  app.use('/v1/tenants/*', adminAuth())

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'a tenant token, or the admin token for /v1/tenants',
  })

  const routes = app
    .route('/v1', health)
    .route('/v1/documents', documents)
    .route('/v1/search', search)
    .route('/v1/usage', usage)
    .route('/v1/tenants', tenants)

  app.doc31('/v1/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'Quire API', version: '1' },
  })

  app.notFound((c) => c.json(errorBody('not_found', 'no such route'), 404))
  app.onError((error, c) => {
    if (error instanceof ApiError) {
      if (error.retryAfter) c.header('retry-after', String(error.retryAfter))
      return c.json(error.toBody(), error.status)
    }
    if (error instanceof HTTPException) {
      const status = error.status as ContentfulStatusCode
      return c.json(errorBody(codeForStatus(status), error.message || 'request refused'), status)
    }
    console.error(
      JSON.stringify({
        at: `edge:${routePath(c, -1)}`,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      }),
    )
    return c.json(errorBody('internal', 'internal error'), 500)
  })

  return routes
}

export const app = createApp()

/** The API's type, for `hono/client` in the page. */
export type AppType = typeof app

function errorBody(code: ReturnType<typeof codeForStatus>, message: string) {
  return { error: { code, message } }
}

/** Caps every body: a write's at the largest document, a read's at 1 KiB (reads take none). */
function bodyCap() {
  const cap = (maxSize: number) =>
    bodyLimit({
      maxSize,
      onError: () => {
        throw new ApiError('payload_too_large', `the request body is over ${maxSize} bytes`)
      },
    })
  const write = cap(MAX_DOCUMENT_BODY)
  const read = cap(1024)
  return createMiddleware(async function bodyCap(c, next) {
    const method = c.req.method
    if (method === 'GET' || method === 'HEAD') {
      // bodyLimit re-wraps a chunked body in a new Request, which throws for GET and HEAD.
      const hasBody = c.req.header('transfer-encoding') || Number(c.req.header('content-length'))
      if (hasBody) throw new ApiError('invalid_request', `a ${method} request takes no body`)
      return next()
    }
    const writes = method === 'PUT' || method === 'POST' || method === 'PATCH'
    return (writes ? write : read)(c, next)
  })
}

function allowedOrigins(env: Env): string[] {
  return (env.QUIRE_ALLOWED_ORIGINS ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean)
}
