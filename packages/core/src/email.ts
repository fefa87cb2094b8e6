/** Emails are unique per tenant regardless of case. */
export const normalizeEmail = (email: string) => email.trim().toLowerCase();
