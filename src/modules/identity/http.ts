import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';

/** Refresh-token cookie: HttpOnly so scripts cannot read it, scoped to /auth where refresh and logout live. */
export const REFRESH_COOKIE = 'cm_refresh';
/** The CSRF token, readable by the shop's own scripts, which echo it in X-CSRF-Token (double submit). */
export const CSRF_COOKIE = 'cm_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export function readCookies(request: FastifyRequest): Record<string, string> {
  const header = request.headers.cookie;
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    const raw = part.slice(eq + 1).trim();
    try {
      out[name] = decodeURIComponent(raw);
    } catch {
      out[name] = raw;
    }
  }
  return out;
}

function cookie(name: string, value: string, attributes: string[]): string {
  return [`${name}=${encodeURIComponent(value)}`, ...attributes].join('; ');
}

export function setSessionCookies(reply: FastifyReply, config: Config, refreshToken: string, csrfToken: string): void {
  const maxAge = config.refreshTokenTtlDays * 86_400;
  const secure = config.cookieSecure ? ['Secure'] : [];
  reply.header('set-cookie', [
    cookie(REFRESH_COOKIE, refreshToken, ['Path=/auth', `Max-Age=${maxAge}`, 'HttpOnly', 'SameSite=Strict', ...secure]),
    cookie(CSRF_COOKIE, csrfToken, ['Path=/', `Max-Age=${maxAge}`, 'SameSite=Strict', ...secure]),
  ]);
}

export function clearSessionCookies(reply: FastifyReply, config: Config): void {
  const secure = config.cookieSecure ? ['Secure'] : [];
  reply.header('set-cookie', [
    cookie(REFRESH_COOKIE, '', ['Path=/auth', 'Max-Age=0', 'HttpOnly', 'SameSite=Strict', ...secure]),
    cookie(CSRF_COOKIE, '', ['Path=/', 'Max-Age=0', 'SameSite=Strict', ...secure]),
  ]);
}

/** Where the request came from, for per-IP limits (Fastify's trustProxy decides whether X-Forwarded-For counts). */
export const clientIp = (request: FastifyRequest): string => request.ip || 'unknown';

export const userAgent = (request: FastifyRequest): string | null => {
  const ua = request.headers['user-agent'];
  return typeof ua === 'string' ? ua.slice(0, 300) : null;
};
