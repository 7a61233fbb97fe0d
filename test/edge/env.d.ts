// Types for `cloudflare:workers` in the edge tests: the bindings and the Worker's exports.
type QuireEnv = import('../../edge/env').Env

declare namespace Cloudflare {
  interface Env extends QuireEnv {}
  interface GlobalProps {
    mainModule: typeof import('../../edge/index')
    durableNamespaces: 'TenantStore'
  }
}
