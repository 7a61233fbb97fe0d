import { Dialog } from './dialog'
import { h } from './dom'

/** Asks for a PDF's password in the page. Resolves undefined when the person cancels. */
export function askPassword(
  dialog: Dialog,
  fileName: string,
  wrong: boolean,
): Promise<string | undefined> {
  return new Promise((resolve) => {
    let answer: string | undefined
    const input = h('input', {
      type: 'password',
      id: 'pdf-password',
      autocomplete: 'off',
      required: true,
    })
    const form = h(
      'form',
      { class: 'stack' },
      wrong
        ? h('p', { class: 'error-text' }, 'That password did not open the PDF. Try again.')
        : undefined,
      h('label', { for: 'pdf-password' }, `Password for ${fileName}`),
      input,
      h(
        'div',
        { class: 'row' },
        h('button', { type: 'submit', class: 'primary' }, 'Open PDF'),
        h('button', { type: 'button', onclick: () => dialog.close() }, 'Cancel'),
      ),
    )
    form.addEventListener('submit', (event) => {
      event.preventDefault()
      answer = input.value
      dialog.close()
    })
    dialog.show('This PDF needs a password', [form], () => resolve(answer))
    input.focus()
  })
}
