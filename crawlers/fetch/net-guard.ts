import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

/** Loopback, private, link-local, CGNAT, unique-local and unspecified addresses (IPv4 and IPv6). */
export function isPrivateAddress(ip: string): boolean {
  if (isIP(ip) === 4) {
    const [a = 0, b = 0] = ip.split('.').map(Number);
    return (
      a === 10 || a === 127 || a === 0 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  const v6 = ip.toLowerCase();
  if (v6 === '::1' || v6 === '::') return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(v6);
  if (mapped) return isPrivateAddress(mapped[1]!);
  return /^(fc|fd|fe8|fe9|fea|feb)/.test(v6);
}

export class PrivateAddressError extends Error {
  constructor(readonly url: string, readonly address: string) {
    super(`refused ${url}: ${address} is a private or loopback address and the source does not allow it`);
    this.name = 'PrivateAddressError';
  }
}

const cache = new Map<string, Promise<string[]>>();

async function addressesOf(hostname: string): Promise<string[]> {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return [host];
  let pending = cache.get(host);
  if (!pending) {
    pending = lookup(host, { all: true }).then((r) => r.map((a) => a.address));
    cache.set(host, pending);
    pending.catch(() => cache.delete(host));
  }
  return pending;
}

/**
 * Refuse URLs that resolve to private or loopback addresses unless allowed, so that a feed cannot make
 * the crawler probe the internal network. Checked for every URL and every redirect hop.
 */
export async function assertPublicUrl(url: string, allowPrivate: boolean): Promise<void> {
  if (allowPrivate) return;
  const { hostname } = new URL(url);
  for (const address of await addressesOf(hostname)) {
    if (isPrivateAddress(address)) throw new PrivateAddressError(url, address);
  }
}
