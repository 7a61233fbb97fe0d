type Attrs = Record<string, string | number | boolean | undefined | EventListener>

/**
 * Creates an element. Attributes starting with `on` become listeners, `true` sets a boolean
 * attribute, `false` and `undefined` leave it out; children are nodes or text.
 *
 * @example
 * h('button', { type: 'button', onclick: () => save() }, 'Save')
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Node | string | undefined | false)[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag)
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue
    if (typeof value === 'function') element.addEventListener(name.slice(2), value)
    else element.setAttribute(name, value === true ? '' : String(value))
  }
  for (const child of children) if (child !== undefined && child !== false) element.append(child)
  return element
}

/** Saves a Blob under a file name through a temporary link. */
export function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob)
  const link = h('a', { href: url, download: name, hidden: true })
  document.body.append(link)
  link.click()
  link.remove()
  // The download has started by the time the click returns; the URL can go a little later.
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

const UNITS = ['B', 'KB', 'MB', 'GB']

/** 1536 → "1.5 KB". */
export function formatBytes(bytes: number): string {
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024
    unit++
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${UNITS[unit]}`
}

/** "image/jpeg" → "JPEG", "application/pdf" → "PDF". */
export function formatType(type: string): string {
  return type === 'unknown' ? 'Unknown' : type.toUpperCase()
}

/** Keeps only text and `<mark>` from server HTML, so a snippet cannot carry markup. */
export function markOnly(html: string): DocumentFragment {
  const template = document.createElement('template')
  template.innerHTML = html
  const out = document.createDocumentFragment()
  const walk = (node: Node, into: Node) => {
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE)
        into.appendChild(document.createTextNode(child.textContent ?? ''))
      else if (child.nodeName === 'MARK')
        walk(child, into.appendChild(document.createElement('mark')))
      else walk(child, into)
    }
  }
  walk(template.content, out)
  return out
}
