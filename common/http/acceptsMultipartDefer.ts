/**
 * Whether a request's `Accept` takes `@defer`'s incremental delivery as `multipart/mixed`: a
 * `multipart/mixed` range with `deferSpec=20220824` (Apollo Client:
 * `multipart/mixed;deferSpec=20220824,application/json`) or with no spec at all (urql), and not
 * refused with `q=0`. A range naming another spec (`subscriptionSpec`, a later `deferSpec`) is
 * not this format.
 */
export function acceptsMultipartDefer(accept: string | undefined): boolean {
  if (!accept) return false;
  for (const range of accept.split(',')) {
    const [type, ...parameters] = range.split(';').map((part) => part.trim());
    if (type?.toLowerCase() !== 'multipart/mixed') continue;
    let spec: string | undefined;
    let refused = false;
    for (const parameter of parameters) {
      const equals = parameter.indexOf('=');
      if (equals < 0) continue;
      const name = parameter.slice(0, equals).trim().toLowerCase();
      const value = parameter
        .slice(equals + 1)
        .trim()
        .replace(/^"(.*)"$/, '$1');
      if (name === 'q') refused = Number(value) === 0;
      else if (name === 'deferspec' || name === 'subscriptionspec') spec = `${name}=${value}`;
    }
    if (!refused && (spec === undefined || spec === 'deferspec=20220824')) return true;
  }
  return false;
}
