/** The HS256 secret of the attacked gateway: the "signed-in attacker" signs its valid tokens with it. */
export const attackJwtSecret = 'bench-attack-jwt-secret-0123456789abcdef';
