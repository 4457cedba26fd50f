// Building DOM nodes without innerHTML (text from the server is never parsed as HTML).

// el('a', {href: '/x', className: 'y', dataset: {testid: 'z'}}, 'text', otherNode)
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null) continue;
    if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key in node) node[key] = value;
    else node.setAttribute(key, value);
  }
  node.append(...children.filter((c) => c !== undefined && c !== null && c !== false));
  return node;
}

export function formatDate(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso
    : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatDuration(ms) {
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

// Shows text in a [role=alert] element; kind is 'error' or 'ok'. Extra nodes (a link) follow it.
export function showMessage(element, kind, text, ...extra) {
  element.className = `message ${kind}`;
  element.replaceChildren(text, ...extra);
}

export function clearMessage(element) {
  element.className = 'message';
  element.replaceChildren();
}
