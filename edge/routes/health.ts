import { createRoute, z } from '@hono/zod-openapi'
import { ApiError } from '../errors'
import { devTokenEnabled } from '../middleware/auth'
import { DEV_TENANT } from '../objects/tenant-store'
import { errors, router } from './router'
import type { AppEnv } from './router'

const healthRoute = createRoute({
  method: 'get',
  path: '/health',
  summary: 'Liveness',
  responses: {
    200: {
      description: 'up',
      content: { 'application/json': { schema: z.object({ ok: z.literal(true) }) } },
    },
  },
})

const devSessionRoute = createRoute({
  method: 'get',
  path: '/dev/session',
  summary: 'The development tenant and its token (development only)',
  responses: {
    200: {
      description: 'the development session',
      content: {
        'application/json': { schema: z.object({ tenant: z.string(), token: z.string() }) },
      },
    },
    ...errors(404),
  },
})

export const health = router<AppEnv>()
  .openapi(healthRoute, (c) => c.json({ ok: true as const }, 200))
  .openapi(devSessionRoute, (c) => {
    if (!devTokenEnabled(c.env)) throw new ApiError('not_found', 'no such route')

    return c.json({ tenant: DEV_TENANT, token: c.env.QUIRE_DEV_TOKEN }, 200)
  })
