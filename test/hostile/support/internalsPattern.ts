/** A path (absolute or relative, POSIX or Windows) or a URL, anywhere in a body: what a health answer must not name. */
export const INTERNALS = /[a-z][a-z0-9+.-]*:\/\/|(^|[\s"'(=])\.{0,2}\/[\w.-]+\/|[A-Za-z]:\\|\.graphql\b|127\.0\.0\.1|localhost/i;
