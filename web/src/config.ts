/**
 * Where the app sends its operations, and how. Both are fixed when Vite builds the app
 * (`VITE_*` variables), so one build is one deployment's client.
 */
export const config = {
  /**
   * The gateway's GraphQL URL. Development: `/graphql` on the Vite server, which proxies it to
   * the gateway `portico dev` started. Production: the gateway's public URL (cross-origin).
   * @default '/graphql'
   */
  graphqlUrl: import.meta.env.VITE_GRAPHQL_URL || '/graphql',
  /**
   * Send only the sha256 of each operation (the gateway's trusted documents), never its text.
   * On in a production build, where the gateway runs `trustedDocuments.mode: require`; off in
   * development, so an operation edited a second ago runs before codegen has listed it.
   * `VITE_PERSISTED_DOCUMENTS=false` turns it off for a build served by a gateway without the manifest.
   * @default import.meta.env.PROD
   */
  persistedDocuments: import.meta.env.VITE_PERSISTED_DOCUMENTS ? import.meta.env.VITE_PERSISTED_DOCUMENTS !== 'false' : import.meta.env.PROD,
};
