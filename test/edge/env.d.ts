// Types for `cloudflare:workers` in the edge tests: the bindings and the Worker's exports.
declare namespace Cloudflare {
  interface Env extends import('../../edge/env').Env {}
  interface GlobalProps {
    mainModule: typeof import('../../edge/index')
    durableNamespaces: 'TenantStore'
  }
}
