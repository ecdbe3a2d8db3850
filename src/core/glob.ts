/**
 * Glob patterns for the `hindsight.tracking.exclude` setting, matched against
 * workspace-relative posix paths: `**` (any folders, including none), `*` (within one
 * segment), `?` (one character), `{a,b}` (alternatives). A pattern without a slash
 * matches a file name in any folder, as in `files.exclude`.
 */

const cache = new Map<string, RegExp>();

/** True when `path` (workspace-relative, posix separators) matches any of the patterns. */
export function matchesAnyGlob(path: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => globToRegExp(pattern).test(path));
}

/** The regular expression of one glob pattern (cached). */
export function globToRegExp(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (re) return re;
  const glob = pattern.includes('/') ? pattern.replace(/^\.?\//, '') : `**/${pattern}`;
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '*' && glob[i + 1] === '*') {
      // `**/` matches zero or more whole folders; a trailing `**` matches everything below.
      const slash = glob[i + 2] === '/';
      source += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (ch === '*') source += '[^/]*';
    else if (ch === '?') source += '[^/]';
    else if (ch === '{') {
      const end = glob.indexOf('}', i);
      if (end < 0) source += '\\{';
      else {
        source += `(?:${glob.slice(i + 1, end).split(',').map(escape).join('|')})`;
        i = end;
      }
    } else source += escape(ch);
  }
  re = new RegExp(`^${source}$`);
  cache.set(pattern, re);
  return re;
}

function escape(text: string): string {
  return text.replace(/[.+^${}()|[\]\\*?]/g, '\\$&');
}
