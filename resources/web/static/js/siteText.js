// Texts the site's admin writes (terms, privacy, refund policy): plain text, paragraphs split
// on blank lines, never parsed as HTML.
import { api } from './api.js';
import { el, formatDate } from './dom.js';
import { renderHeader } from './header.js';

export async function siteText(key) {
  return (await api('GET', `/api/site/${key}`)).text;
}

export function paragraphs(text) {
  return (text || '').split(/\n{2,}/).filter((p) => p.trim()).map((p) => el('p', {}, p));
}

export async function showSiteText() {
  renderHeader();
  const body = document.getElementById('text-body');
  try {
    const text = await siteText(body.dataset.key);
    document.getElementById('text-title').textContent = text.title;
    body.replaceChildren(...paragraphs(text.body));
    document.getElementById('text-updated').textContent = text.updated_at ? `Last changed ${formatDate(text.updated_at)}.` : '';
  } catch (error) {
    body.replaceChildren(el('p', { className: 'message error' }, error.message));
  }
}
