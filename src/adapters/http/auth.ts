/**
 * The bearer token of the corpus write routes, and which addresses count as loopback (where the
 * server may run them without a token).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { StanceError } from '../../core/errors.js';

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/**
 * Checks an `Authorization` header against the token, in constant time (both sides are hashed to
 * 32 bytes first, so neither the token's length nor its content leaks through timing).
 * Throws UNAUTHORIZED when the header is missing, not `Bearer …`, or names another token.
 */
export function requireBearer(header: string | undefined, token: string): void {
  const m = /^Bearer[ \t]+(\S.*?)[ \t]*$/i.exec(header ?? '');
  const given = m?.[1];
  if (given === undefined)
    throw new StanceError(
      'UNAUTHORIZED',
      header
        ? 'expected the header "Authorization: Bearer <token>"; found another scheme'
        : 'this route changes the corpus: send "Authorization: Bearer <token>" (the token the server was started with)',
      { field: 'authorization' },
    );
  if (!timingSafeEqual(digest(given), digest(token)))
    throw new StanceError('UNAUTHORIZED', 'the bearer token is not the one this server was started with', {
      field: 'authorization',
    });
}

/** True when `host` only listens on this machine: localhost, 127.0.0.0/8 or ::1. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(h);
  return false;
}
