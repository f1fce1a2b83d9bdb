import { SCREEN_THEME, type ChartSize, type ChartTheme } from '../../charts/index.js';

/**
 * Small DOM builders the views share: a figure (caption, SVG, note) sized to its column, and a
 * labelled select. Controls carry a `name` so a user's bookmarklet, or the browser tests, can find
 * them.
 */

export const THEME: ChartTheme = SCREEN_THEME;
const SVG_NS = 'http://www.w3.org/2000/svg';

export function element<K extends keyof HTMLElementTagNameMap>(parent: HTMLElement, tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const el = parent.ownerDocument.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (text !== undefined) el.textContent = text;
  parent.appendChild(el);
  return el;
}

export interface Figure {
  svg: SVGSVGElement;
  size: ChartSize;
  /** A line under the chart (what is averaged, where data comes from). */
  note(text: string): void;
}

/** A captioned chart slot filling its parent's width; `data-chart` names it. */
export function figure(parent: HTMLElement, id: string, caption: string, height = 340): Figure {
  const fig = element(parent, 'figure', { class: 'chart', 'data-chart': id });
  element(fig, 'figcaption', {}, caption);
  const svg = parent.ownerDocument.createElementNS(SVG_NS, 'svg');
  fig.appendChild(svg);
  const note = element(fig, 'p', { class: 'note' });
  // The figure's content width (CSS padding excluded); a hidden parent measures 0, so a floor.
  const width = Math.max(320, fig.clientWidth - 16);
  return { svg, size: { width, height }, note: (text) => (note.textContent = text) };
}

export interface Choice {
  value: string;
  label: string;
  /** Options of the same group go under one <optgroup>. */
  group?: string;
}

/** `<label>caption <select name=…>` with `value` selected; calls onChange with the new value. */
export function selectControl(parent: HTMLElement, name: string, caption: string, choices: readonly Choice[], value: string, onChange: (value: string) => void): HTMLSelectElement {
  const label = element(parent, 'label', { class: 'control' });
  label.append(caption + ' ');
  const sel = element(label, 'select', { name });
  let group: HTMLElement = sel;
  let groupName: string | undefined;
  for (const c of choices) {
    if (c.group !== groupName) {
      groupName = c.group;
      group = groupName === undefined ? sel : element(sel, 'optgroup', { label: groupName });
    }
    const opt = element(group, 'option', { value: c.value }, c.label);
    if (c.value === value) opt.selected = true;
  }
  sel.addEventListener('change', () => onChange(sel.value));
  return sel;
}

export function message(parent: HTMLElement, text: string): void {
  element(parent, 'p', { class: 'message' }, text);
}
