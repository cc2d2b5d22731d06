/**
 * Headers for an HTML page a server of ours renders (the Sandbox landing page, the offline
 * explorer): no other site may frame it, so a page elsewhere cannot lay it invisibly under its
 * own and have a signed-in developer click in it (clickjacking). `frame-ancestors` is the CSP
 * directive browsers honour for that (a `<meta>` CSP cannot carry it); `X-Frame-Options` is for
 * browsers without it. The pages' own policies (the Sandbox's `<meta>` CSP) still apply beside it.
 */
export const htmlPageHeaders: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': "frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
});
