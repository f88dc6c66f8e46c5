import { runScript } from '../../../test/support/runScript';
import { AuthConfigError } from '../config';
import {
  DEVELOPMENT_SUBGRAPH_SIGNING_SECRET,
  MAX_SIGNATURE_AGE_SECONDS,
  readSignature,
  SignatureRefusedError,
  signatureFor,
  subgraphSigningFromEnv,
  verifySignedRequest,
} from '../subgraphSignature';

const PRODUCTION_SECRET = 'a-private-random-value-of-at-least-32-bytes';
const body = Buffer.from(JSON.stringify({ query: '{ districts { id } }' }));
const authorization = 'Bearer caller-token';
const request = { body, authorization };

describe('subgraphSigningFromEnv', () => {
  it('falls back on the public development secret outside production only', () => {
    expect(subgraphSigningFromEnv({ NODE_ENV: 'development' })).toEqual({
      secret: Buffer.from(DEVELOPMENT_SUBGRAPH_SIGNING_SECRET),
      isDevelopmentDefault: true,
    });
    expect(subgraphSigningFromEnv({ NODE_ENV: 'production', SUBGRAPH_SIGNING_SECRET: PRODUCTION_SECRET })).toEqual({
      secret: Buffer.from(PRODUCTION_SECRET),
      isDevelopmentDefault: false,
    });
  });

  it.each([
    ['no secret', {}],
    ['an empty one, as Docker Compose passes an unset variable', { SUBGRAPH_SIGNING_SECRET: ' ' }],
    ['the development secret', { SUBGRAPH_SIGNING_SECRET: DEVELOPMENT_SUBGRAPH_SIGNING_SECRET }],
    ['a short secret', { SUBGRAPH_SIGNING_SECRET: 'short' }],
  ])('refuses %s in production', (_, env) => {
    expect(() => subgraphSigningFromEnv({ NODE_ENV: 'production', ...env })).toThrow(AuthConfigError);
  });
});

describe('request signatures', () => {
  const signing = subgraphSigningFromEnv({ SUBGRAPH_SIGNING_SECRET: PRODUCTION_SECRET });
  const now = Date.parse('2026-12-06T21:00:00Z');

  it('verify for the body and credentials signed, at the time signed, with the secret signed with', () => {
    const signature = readSignature(signatureFor(signing, request, now), now + 1_000);
    expect(() => verifySignedRequest(signing, signature, request)).not.toThrow();
    const anonymous = { body, authorization: undefined };
    expect(() => verifySignedRequest(signing, readSignature(signatureFor(signing, anonymous, now), now), anonymous)).not.toThrow();
  });

  it('refuse another body, other credentials, another secret, another time', () => {
    const signature = readSignature(signatureFor(signing, request, now), now);
    const longer = { body: Buffer.concat([body, Buffer.from(' ')]), authorization };
    expect(() => verifySignedRequest(signing, signature, longer)).toThrow(SignatureRefusedError);
    expect(() => verifySignedRequest(signing, signature, { body, authorization: 'Bearer another-token' })).toThrow(SignatureRefusedError);
    expect(() => verifySignedRequest(signing, signature, { body, authorization: undefined })).toThrow(SignatureRefusedError);
    expect(() => verifySignedRequest(subgraphSigningFromEnv({}), signature, request)).toThrow(SignatureRefusedError);
    // The time is part of what is signed: moving it forward breaks the signature.
    const moved = signatureFor(signing, request, now).replace(/^t=(\d+)/, (_, seconds: string) => `t=${Number(seconds) + 1}`);
    expect(() => verifySignedRequest(signing, readSignature(moved, now), request)).toThrow(SignatureRefusedError);
  });

  it(`accept a signing time at most ${MAX_SIGNATURE_AGE_SECONDS} s away, either way`, () => {
    const header = signatureFor(signing, request, now);
    expect(() => readSignature(header, now + MAX_SIGNATURE_AGE_SECONDS * 1000)).not.toThrow();
    expect(() => readSignature(header, now + (MAX_SIGNATURE_AGE_SECONDS + 1) * 1000)).toThrow('too old');
    expect(() => readSignature(header, now - (MAX_SIGNATURE_AGE_SECONDS + 1) * 1000)).toThrow('from the future');
  });

  it.each([
    ['missing', undefined, 'signed by the gateway'],
    ['repeated', ['t=1,v1=x', 't=2,v1=y'], 'malformed'],
    ['without its time', `v1=${'A'.repeat(43)}`, 'malformed'],
    ['with a short MAC', 't=1765054800,v1=AAAA', 'malformed'],
  ])('refuse a signature header %s', (_, header, message) => {
    expect(() => readSignature(header, now)).toThrow(message);
  });
});

describe('in production, without SUBGRAPH_SIGNING_SECRET', () => {
  const env = {
    NODE_ENV: 'production',
    JWT_SECRET: PRODUCTION_SECRET,
    SUBGRAPH_SIGNING_SECRET: '',
    MONGODB_URI: 'mongodb://127.0.0.1:9/unused',
    PORT: '0',
    LOG_LEVEL: 'fatal',
  };

  it.each([
    ['the gateway', 'gateway/main.ts'],
    ['a subgraph', 'subgraphs/housing/index.ts'],
  ])(
    '%s refuses to start',
    async (_, entry) => {
      const run = await runScript(entry, [], env);
      expect(run.status).toBe(1);
      expect(run.stdout).toContain('Set SUBGRAPH_SIGNING_SECRET');
    },
    60_000,
  );
});
