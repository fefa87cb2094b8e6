/** Inbound integrations: SCIM 2.0 provisioning (RFC 7643/7644) for Okta and Microsoft Entra ID, and HRIS webhooks. */

export * from './hris/index.ts';
export * from './scim/index.ts';
