import { createRoute } from '@hono/zod-openapi'
import { unwrap } from '../errors'
import { Usage } from '../schemas'
import { bearerSecurity, errors, router } from './router'

const usageRoute = createRoute({
  method: 'get',
  path: '/',
  summary: 'The tenant’s counts, bytes and limits',
  security: bearerSecurity,
  responses: {
    200: { description: 'usage', content: { 'application/json': { schema: Usage } } },
    ...errors(401, 429),
  },
})

export const usage = router().openapi(usageRoute, async (c) => {
  const result = unwrap(await c.var.store.usage(c.var.credential))

  return c.json(result, 200)
})
