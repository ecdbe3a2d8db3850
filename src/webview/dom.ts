/**
 * The one way the panel builds DOM: elements with textContent and setAttribute only, so
 * paths, notes and reasons (user data) can never become markup.
 */

export type Child = Node | string | null | undefined | false;

export interface Props {
  class?: string;
  /** Stable hook for integration tests (`data-testid`). */
  testid?: string;
  /** Key under which focus (and a half-typed value) survives a re-render; see `main.ts`. */
  focus?: string;
  title?: string;
  attrs?: Record<string, string>;
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props.class) element.className = props.class;
  if (props.testid) element.dataset.testid = props.testid;
  if (props.focus) element.dataset.focus = props.focus;
  if (props.title) element.title = props.title;
  for (const [name, value] of Object.entries(props.attrs ?? {})) element.setAttribute(name, value);
  append(element, children);
  return element;
}

export function append(parent: Element, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** A real button (keyboard and screen readers for free) with its click handler. */
export function button(label: string, onClick: () => void, props: Props = {}): HTMLButtonElement {
  const element = h('button', props, label);
  element.type = 'button';
  element.addEventListener('click', onClick);
  return element;
}

let nextId = 0;

/** A unique id for label/aria wiring within this page. */
export function uniqueId(prefix: string): string {
  nextId += 1;
  return `${prefix}-${nextId}`;
}

/** A labelled `<select>`; `onChange` gets the chosen option's value. */
export function labelledSelect(
  label: string,
  options: readonly { value: string; label: string }[],
  selected: string,
  onChange: (value: string) => void,
  props: Props = {},
): { label: HTMLLabelElement; select: HTMLSelectElement } {
  const select = h('select', props);
  select.id = uniqueId('select');
  for (const option of options) {
    const element = h('option', {}, option.label);
    element.value = option.value;
    element.selected = option.value === selected;
    select.append(element);
  }
  select.addEventListener('change', () => onChange(select.value));
  const labelElement = h('label', {}, label);
  labelElement.htmlFor = select.id;
  return { label: labelElement, select };
}
