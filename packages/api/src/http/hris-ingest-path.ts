/** The HRIS webhook path, which API-key authentication skips: the provider's signature is its credential. */
export const HRIS_INGEST_PATH = /^\/v1\/hris\/[^/]+\/webhooks$/;
