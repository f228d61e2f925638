import type { ChromaClient } from 'chromadb';
import { KbError } from '../../api/errors';

export interface ChromaEndpoint {
  host: string;
  port: number;
  ssl: boolean;
}

/** `http://host:port` → the client's host/port/ssl (it builds its base URL from those alone). */
export function parseChromaUrl(url: string): ChromaEndpoint {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new KbError('ValidationError', `"${url}" is not a ChromaDB server URL (expected e.g. http://localhost:8001).`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new KbError('ValidationError', `The ChromaDB URL must start with http:// or https://, not "${u.protocol}".`);
  }
  if (u.pathname !== '/' && u.pathname !== '') {
    throw new KbError('ValidationError', `The ChromaDB URL must not have a path ("${u.pathname}"): the client talks to the server's root.`);
  }
  const ssl = u.protocol === 'https:';
  return { host: u.hostname, port: u.port ? Number(u.port) : ssl ? 443 : 80, ssl };
}

type RequestInterceptor = (request: Request) => Request | Promise<Request>;
interface InternalApiClient {
  interceptors?: { request?: { use?: (fn: RequestInterceptor) => void } };
}

/**
 * A ChromaClient whose every HTTP request gives up after `timeoutMs`. The client has no timeout
 * of its own, and its `fetchOptions` are fixed at construction (one signal would expire once and
 * fail every later call), so the signal is attached per request through the request interceptor
 * of its generated HTTP client. An aborted fetch surfaces as `ChromaConnectionError`, or as a
 * `TimeoutError` if it hits while the body is read.
 */
export async function timedChromaClient(url: string, timeoutMs: number): Promise<ChromaClient> {
  const { host, port, ssl } = parseChromaUrl(url);
  // Loaded on first use: a library on the embedded default never pays for it at start.
  const { ChromaClient } = await import('chromadb');
  const client = new ChromaClient({ host, port, ssl, tenant: 'default_tenant', database: 'default_database' });
  const api = (client as unknown as { apiClient?: InternalApiClient }).apiClient;
  const use = api?.interceptors?.request?.use;
  if (typeof use !== 'function') {
    // The pinned chromadb (~3.5) has it; a future one without it must not run without timeouts.
    throw new Error('This chromadb client version has no request interceptors: cannot enforce a timeout.');
  }
  use.call(api!.interceptors!.request, (request) => new Request(request, { signal: AbortSignal.timeout(timeoutMs) }));
  return client;
}
