import pino, { type Logger } from 'pino';

/** One JSON logger per service; quiet under jest unless LOG_LEVEL asks otherwise. */
export function serviceLogger(service: string): Logger {
  const defaultLevel = process.env.NODE_ENV === 'test' ? 'silent' : 'info';
  return pino({ name: service, level: process.env.LOG_LEVEL ?? defaultLevel });
}
