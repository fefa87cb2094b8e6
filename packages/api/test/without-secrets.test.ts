import { expect, test } from 'vitest';
import { withoutSecrets } from '../src/http/idempotency.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (body: Uint8Array | undefined) => (body ? new TextDecoder().decode(body) : body);

test('each declared secret becomes null, nested or not, and nothing else changes', () => {
  const body = bytes('{"adminKey":{"id":"key_1","secret":"tdm_live_x"},"secret":"whsec_y","n":1}');
  expect(text(withoutSecrets(body, ['adminKey.secret', 'secret']))).toBe(
    '{"adminKey":{"id":"key_1","secret":null},"secret":null,"n":1}',
  );
});

test('a body without the declared fields (a problem) is stored as it was', () => {
  const body = '{"type":"https://tandem.dev/problems/validation-error","status":400}';
  expect(text(withoutSecrets(bytes(body), ['adminKey.secret', 'secret']))).toBe(body);
});

test('a route without secrets stores its body untouched, JSON or not', () => {
  const body = bytes('not json');
  expect(withoutSecrets(body, [])).toBe(body);
});

test('a body that cannot be cleaned is not stored at all', () => {
  expect(withoutSecrets(bytes('secret: tdm_live_x'), ['secret'])).toBeUndefined();
});
