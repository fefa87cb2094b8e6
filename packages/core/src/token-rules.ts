// What the authorizer checks of a participant's token, apart from the identity provider's schema
// (which it never builds).

/** The claim that means "match on the person's email"; any other claim is matched on an external id. */
export const EMAIL_CLAIM = 'email';

/** Only asymmetric signatures: a shared secret would let anyone holding it mint tokens. */
export const ACCEPTED_TOKEN_ALGORITHMS = ['RS256', 'ES256', 'EdDSA'] as const;
