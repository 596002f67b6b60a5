// Python's fnmatch, as huggingface_hub's allow_patterns use it: `*` also matches "/" and a pattern
// ending in "/" means everything under that folder.

const cache = new Map<string, RegExp>();

function toRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        let body = pattern.slice(i + 1, end).replace(/\\/g, '\\\\');
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        re += `[${body}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's');
}

/** True when `filename` matches one of `patterns` (a string or a list). */
export function matchesAny(filename: string, patterns: string | readonly string[]): boolean {
  for (let p of typeof patterns === 'string' ? [patterns] : patterns) {
    if (p.endsWith('/')) p += '*';
    let re = cache.get(p);
    if (!re) {
      re = toRegExp(p);
      cache.set(p, re);
    }
    if (re.test(filename)) return true;
  }
  return false;
}
