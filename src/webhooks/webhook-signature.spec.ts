import { webhookSignature } from './webhook-signature';

describe('webhookSignature', () => {
  it('is t=<seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">', () => {
    // Reference value from: printf '1700000000.{"id":"e1"}' | openssl dgst -sha256 -hmac whsec-0123456789abcdef
    expect(webhookSignature('whsec-0123456789abcdef', '{"id":"e1"}', 1700000000)).toBe(
      't=1700000000,v1=475145d8ab7a55b4e1e67de0f9efad85edf150d83de62d06764a208144a61d0f',
    );
  });

  it('changes with the time, the body and the secret', () => {
    const base = webhookSignature('whsec-0123456789abcdef', '{}', 1);
    expect(webhookSignature('whsec-0123456789abcdef', '{}', 2)).not.toBe(base);
    expect(webhookSignature('whsec-0123456789abcdef', '{ }', 1)).not.toBe(base);
    expect(webhookSignature('whsec-0123456789abcdeF', '{}', 1)).not.toBe(base);
  });
});
