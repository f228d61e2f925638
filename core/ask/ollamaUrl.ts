import { KbError } from '../api/errors';

export interface OllamaServer {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:11434`. */
  url: string;
  /** Where it came from, to show the user which setting to change. */
  source: 'OLLAMA_HOST' | 'settings';
}

/**
 * The Ollama server Ask talks to: `OLLAMA_HOST` when it is set (Ollama's own CLI reads it, so one
 * variable points both at the same server), else the URL from settings.
 */
export function ollamaServer(settingsUrl: string, env: Readonly<Record<string, string | undefined>>): OllamaServer {
  const host = env.OLLAMA_HOST;
  if (host !== undefined && cleanValue(host) !== '') return { url: parseOllamaHost(host), source: 'OLLAMA_HOST' };
  return { url: settingsUrl.replace(/\/+$/, ''), source: 'settings' };
}

/** Ollama strips spaces and quotes around its variables' values. */
function cleanValue(value: string): string {
  return value.trim().replace(/^["']+|["']+$/g, '').trim();
}

/**
 * `OLLAMA_HOST` as Ollama reads it (envconfig in ollama/ollama), turned into a URL to connect to:
 * `host`, `host:port`, `:port`, `[::1]:port`, `scheme://host[:port][/path]`. Without a scheme:
 * http on port 11434; with `http://` or `https://` and no port: that scheme's own port (80, 443),
 * as Ollama does. A missing host, `0.0.0.0` or `::` (what a server listens on) means this machine.
 * An invalid port falls back to the default, as in Ollama.
 */
export function parseOllamaHost(value: string): string {
  const raw = cleanValue(value);
  const schemeMatch = /^([a-z][a-z0-9+.-]*):\/\//i.exec(raw);
  const scheme = schemeMatch?.[1]?.toLowerCase() ?? 'http';
  if (scheme !== 'http' && scheme !== 'https') {
    throw new KbError('ValidationError', `OLLAMA_HOST=${raw}: Ollama is reached over http:// or https://, not ${scheme}://`);
  }
  const defaultPort = !schemeMatch ? '11434' : scheme === 'https' ? '443' : '80';
  const rest = schemeMatch ? raw.slice(schemeMatch[0].length) : raw;
  const slash = rest.indexOf('/');
  const hostPort = slash === -1 ? rest : rest.slice(0, slash);
  const path = slash === -1 ? '' : rest.slice(slash).replace(/\/+$/, '');

  const split = splitHostPort(hostPort);
  const host = localIfUnspecified(split ? split.host : hostPort.replace(/^\[|\]$/g, ''));
  const port = split && /^\d{1,5}$/.test(split.port) && Number(split.port) <= 65535 ? split.port : defaultPort;

  let url: URL;
  try {
    url = new URL(`${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}${path}`);
  } catch {
    throw new KbError('ValidationError', `OLLAMA_HOST=${raw} is not a host Ollama can be reached at: write it as host:port or http://host:port`);
  }
  return url.href.replace(/\/+$/, '');
}

/** Like Go's net.SplitHostPort: undefined when there is no port part. */
function splitHostPort(hostPort: string): { host: string; port: string } | undefined {
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    if (close === -1 || hostPort[close + 1] !== ':') return undefined;
    return { host: hostPort.slice(1, close), port: hostPort.slice(close + 2) };
  }
  const colon = hostPort.lastIndexOf(':');
  // No colon, or several (a bare IPv6 address): no port.
  if (colon === -1 || hostPort.indexOf(':') !== colon) return undefined;
  return { host: hostPort.slice(0, colon), port: hostPort.slice(colon + 1) };
}

function localIfUnspecified(host: string): string {
  if (host === '' || host === '0.0.0.0') return '127.0.0.1';
  if (host === '::' || host === '0:0:0:0:0:0:0:0') return '::1';
  return host;
}
