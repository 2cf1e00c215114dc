import { pino, type Logger, type LoggerOptions } from 'pino';
import { maskCardNumbers } from '../security/card-numbers.js';

export type { Logger };

/** Keys whose values never reach a log line, at any depth we know of. */
const SECRET_PATHS = [
  'password', 'newPassword', 'currentPassword', 'token', 'accessToken', 'refreshToken', 'secret', 'apiKey',
  'totp', 'code', 'authorization', 'cookie',
  '*.password', '*.newPassword', '*.currentPassword', '*.token', '*.accessToken', '*.refreshToken', '*.secret', '*.apiKey',
  'req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]', 'res.headers["set-cookie"]',
  'body.password', 'body.token', 'body.cardNumber', '*.cardNumber',
];

function maskDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskCardNumbers(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, depth + 1));
  // Only plain data is rebuilt; requests, errors and the like go to their serializers untouched.
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = maskDeep(v, depth + 1);
  return out;
}

/** Structured JSON logs with secrets censored and card-like numbers masked. */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options: LoggerOptions = {
    level,
    base: { service: 'cloudmart' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: SECRET_PATHS, censor: '[redacted]' },
    formatters: { log: (object) => maskDeep(object) as Record<string, unknown> },
    hooks: {
      logMethod(args, method) {
        method.apply(this, args.map((a) => (typeof a === 'string' ? maskCardNumbers(a) : a)) as Parameters<typeof method>);
      },
    },
  };
  return destination ? pino(options, destination as pino.DestinationStream) : pino(options);
}
