import { createMiddleware } from 'hono/factory'
import { routePath } from 'hono/route'

export interface RequestLogOptions {
  /** Where lines go; `console.log` by default. */
  print?: (line: string) => void
}

/**
 * One JSON line per request: time, tenant, method, route pattern, status and milliseconds.
 * Never the token, the query string or a body; a tenant is named only once it got in.
 */
export function requestLog(options: RequestLogOptions = {}) {
  const print = options.print ?? ((line: string) => console.log(line))
  return createMiddleware<{ Variables: { tenant?: string } }>(async function requestLog(c, next) {
    const started = performance.now()
    await next()
    const status = c.res.status
    print(
      JSON.stringify({
        at: new Date().toISOString(),
        tenant: status === 401 ? null : (c.get('tenant') ?? null),
        method: c.req.method,
        route: routePath(c, -1) || null,
        status,
        ms: Math.round((performance.now() - started) * 10) / 10,
      }),
    )
  })
}
