/**
 * What in an HTML document could make a browser fetch something: every src, href, xlink:href,
 * srcset, action, poster, data and background attribute, every url() and @import in <style> and
 * style attributes, and <script>, <link>, <iframe>, <object>, <embed>, <base>, <meta http-equiv=refresh>.
 * Allowed: fragment references ('#...') and data: URIs. Text content is not looked at (the
 * renderer escapes '<', so every tag found here is a real one).
 */
export function externalReferences(page: string): string[] {
  const found: string[] = [];
  const local = (ref: string) => /^\s*(#|data:)/i.test(ref);
  for (const tag of page.match(/<[a-zA-Z][^>]*>/g) ?? []) {
    const name = /^<([a-zA-Z][\w:-]*)/.exec(tag)![1].toLowerCase();
    if (['script', 'link', 'iframe', 'object', 'embed', 'base', 'frame', 'portal'].includes(name)) found.push(`<${name}> element`);
    if (name === 'meta' && /http-equiv\s*=\s*"?refresh/i.test(tag)) found.push('meta refresh');
    for (const m of tag.matchAll(/\s([\w:-]+)\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))/g)) {
      const attr = m[1].toLowerCase();
      const value = m[3] ?? m[4] ?? m[5] ?? '';
      if (['src', 'href', 'xlink:href', 'srcset', 'action', 'formaction', 'poster', 'data', 'background', 'ping'].includes(attr) && !local(value)) found.push(`${attr}="${value}"`);
      if (attr === 'style' || attr.startsWith('on')) found.push(...cssReferences(value, attr));
    }
  }
  for (const m of page.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/gi)) found.push(...cssReferences(m[1], 'style'));
  return found;
}

function cssReferences(css: string, where: string): string[] {
  const out: string[] = [];
  for (const m of css.matchAll(/url\(\s*['"]?([^'")]*)/gi)) if (!/^(#|data:)/i.test(m[1])) out.push(`${where}: url(${m[1]})`);
  if (/@import/i.test(css)) out.push(`${where}: @import`);
  if (where.startsWith('on')) out.push(`${where} handler`);
  return out;
}
