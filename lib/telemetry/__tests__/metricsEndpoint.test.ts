import type { IncomingMessage } from 'node:http';
import { isLoopback, metricsAccess, metricsTokenFromEnv } from '../metricsEndpoint';

const TOKEN = 'a-metrics-token-of-some-length';

function request(remoteAddress: string, headers: Record<string, string> = {}): IncomingMessage {
  return { socket: { remoteAddress }, headers } as unknown as IncomingMessage;
}

describe('who may read /metrics', () => {
  it('lets this machine in without a token, unless a proxy forwarded the request', () => {
    expect(metricsAccess(request('127.0.0.1'), undefined)).toBe('allowed');
    expect(metricsAccess(request('::1'), undefined)).toBe('allowed');
    expect(metricsAccess(request('::ffff:127.0.0.1'), TOKEN)).toBe('allowed');
    expect(metricsAccess(request('127.0.0.1', { 'x-forwarded-for': '198.51.100.4' }), undefined)).toBe('forbidden');
    expect(metricsAccess(request('127.0.0.1', { forwarded: 'for=198.51.100.4' }), TOKEN)).toBe('unauthenticated');
  });

  it('refuses an outside caller: forbidden without a configured token, unauthenticated without the right one', () => {
    expect(metricsAccess(request('10.0.0.7'), undefined)).toBe('forbidden');
    expect(metricsAccess(request('10.0.0.7', { authorization: `Bearer ${TOKEN}` }), undefined)).toBe('forbidden');
    expect(metricsAccess(request('10.0.0.7'), TOKEN)).toBe('unauthenticated');
    expect(metricsAccess(request('10.0.0.7', { authorization: `Bearer ${TOKEN}x` }), TOKEN)).toBe('unauthenticated');
    expect(metricsAccess(request('10.0.0.7', { authorization: TOKEN }), TOKEN)).toBe('unauthenticated');
    expect(metricsAccess(request('::ffff:10.0.0.7', { authorization: `Bearer ${TOKEN}` }), TOKEN)).toBe('allowed');
  });

  it('does not take a wrong token from this machine either', () => {
    expect(metricsAccess(request('127.0.0.1', { authorization: 'Bearer guess' }), TOKEN)).toBe('unauthenticated');
  });

  it('knows loopback addresses', () => {
    expect(['127.0.0.1', '127.3.2.1', '::1', '::ffff:127.0.0.1'].map(isLoopback)).toEqual([true, true, true, true]);
    expect(['10.0.0.1', '::ffff:192.168.1.2', '1270::1', undefined].map(isLoopback)).toEqual([false, false, false, false]);
  });

  it('wants a METRICS_TOKEN long enough not to be guessed', () => {
    expect(metricsTokenFromEnv({})).toBeUndefined();
    expect(metricsTokenFromEnv({ METRICS_TOKEN: ' ' })).toBeUndefined();
    expect(metricsTokenFromEnv({ METRICS_TOKEN: TOKEN })).toBe(TOKEN);
    expect(() => metricsTokenFromEnv({ METRICS_TOKEN: 'short' })).toThrow(/at least 16/);
  });
});
