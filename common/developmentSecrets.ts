/**
 * Secrets for a developer's machine only, so that `npm start` and `portico token` work with no
 * set-up. They are public: the gateway and the subgraphs refuse them in production.
 */
export const developmentSecrets = {
  /** Signs and verifies development JWTs (`portico token`). */
  jwt: 'portico-development-jwt-secret',
  /** Signs gateway → subgraph requests. */
  signing: 'portico-development-signing-secret',
} as const;
