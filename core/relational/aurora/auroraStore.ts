import type { RDSDataClientConfig } from '@aws-sdk/client-rds-data';
import { KbError } from '../../api/errors';
import type { Settings } from '../../api/settings';
import type { ProviderHealth } from '../../api/types';
import { mapProviderErrors } from '../../util/providerErrors';
import { SqlRelationalStore } from '../postgres/sqlRelationalStore';
import type { RelationalStore } from '../types';
import { isDataApiUnavailable } from './dataApiErrors';
import { DataApiRunner } from './dataApiRunner';

type AuroraSettings = Settings['relational']['aurora'];

export interface AuroraStoreOptions {
  /** AWS credentials; by default the SDK's chain (environment, shared config, SSO, instance role). */
  credentials?: RDSDataClientConfig['credentials'];
  /** Longest wait for a TCP/TLS connection to the Data API endpoint. */
  connectTimeoutMs?: number;
  /** Longest wait for one response; this app's statements are short (the Data API allows 45 s). */
  requestTimeoutMs?: number;
  /** Longest wait for `isAvailable()`, retries included. */
  healthTimeoutMs?: number;
  /** Attempts per call, retries included (throttling and 5xx are retried with backoff). */
  maxAttempts?: number;
  /** See SqlStoreOptions; the Data API caps a result at 1 MiB, so content moves in pieces. */
  contentSliceChars?: number;
}

// 128 Ki characters: at most 512 KiB of UTF-8 per piece, within the Data API's 1 MiB result cap.
const CONTENT_SLICE_CHARS = 128 * 1024;

/** Aurora PostgreSQL through the RDS Data API: HTTPS calls, no connection to keep. */
export class AuroraRelationalStore extends SqlRelationalStore {
  readonly provider = 'aurora';
  private readonly runner: DataApiRunner;
  private readonly healthTimeoutMs: number;

  constructor(
    private readonly settings: AuroraSettings,
    opts: AuroraStoreOptions = {},
  ) {
    const config: RDSDataClientConfig = {
      region: settings.region,
      endpoint: settings.endpoint || undefined,
      credentials: opts.credentials,
      maxAttempts: opts.maxAttempts ?? 3,
      requestHandler: {
        connectionTimeout: opts.connectTimeoutMs ?? 3_000,
        requestTimeout: opts.requestTimeoutMs ?? 20_000,
        // Without this the SDK only logs a warning when requestTimeout passes, and keeps waiting.
        throwOnRequestTimeout: true,
      },
    };
    const { resourceArn, secretArn, database } = settings;
    const runner = new DataApiRunner(config, { resourceArn, secretArn, database });
    super(runner, { contentSliceChars: opts.contentSliceChars ?? CONTENT_SLICE_CHARS });
    this.runner = runner;
    this.healthTimeoutMs = opts.healthTimeoutMs ?? 5_000;
  }

  /** What is missing from the settings, if anything; no call can succeed without these. */
  private missingSettings(): string | undefined {
    const missing = (['resourceArn', 'secretArn', 'database'] as const).filter((k) => !this.settings[k]);
    return missing.length ? `Aurora needs ${missing.join(', ')} in the relational settings` : undefined;
  }

  override async connect(): Promise<void> {
    const missing = this.missingSettings();
    if (missing) throw new KbError('ProviderUnavailable', missing);
    await super.connect();
  }

  async isAvailable(): Promise<ProviderHealth> {
    const start = performance.now();
    const health = (available: boolean, message: string) => ({
      provider: this.provider,
      available,
      latencyMs: performance.now() - start,
      message,
    });
    const missing = this.missingSettings();
    if (missing) return health(false, missing);
    try {
      const { rows } = await this.runner.query<{ version: string }>("SELECT current_setting('server_version') AS version", {}, {
        timeoutMs: this.healthTimeoutMs,
      });
      return health(true, `Aurora PostgreSQL ${rows[0]?.version ?? ''} (Data API)`);
    } catch (err) {
      return health(false, (err as Error).message);
    }
  }

  async close(): Promise<void> {
    await this.runner.close();
  }
}

/** The aurora provider, with unreachable-service errors mapped to `ProviderUnavailable`. */
export function auroraRelationalStore(settings: AuroraSettings, opts?: AuroraStoreOptions): RelationalStore {
  return mapProviderErrors(new AuroraRelationalStore(settings, opts), 'aurora', isDataApiUnavailable);
}
