// A creator's avatar: the initials of their name on a colour picked from the name (no image to
// upload, host or validate).
export function initials(name) {
  const words = String(name || '?').split(/[\s_.-]+/).filter(Boolean);
  const letters = words.length > 1 ? [[...words[0]][0], [...words[words.length - 1]][0]] : [...(words[0] || '?')].slice(0, 2);
  return letters.join('').toUpperCase();
}

export function avatarHue(name) {
  let hash = 0;
  for (const ch of String(name)) hash = (hash * 31 + ch.codePointAt(0)) % 360;
  return hash;
}

export function paintAvatar(element, name) {
  element.textContent = initials(name);
  element.style.backgroundColor = `hsl(${avatarHue(name)} 45% 32%)`;
}
