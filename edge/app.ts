import { Hono } from 'hono'
import type { Env } from './env'

export const app = new Hono<{ Bindings: Env }>().get('/v1/health', (c) => c.json({ ok: true }))

export type AppType = typeof app
