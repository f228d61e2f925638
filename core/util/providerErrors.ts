import { KbError } from '../api/errors';
import { redactConnectionStrings } from '../api/postgresUrl';

/**
 * Wraps a provider so that every async method turns a lost backend into `ProviderUnavailable`
 * (with the provider named), and leaves `KbError`s and other errors as they are.
 */
export function mapProviderErrors<T extends object>(target: T, provider: string, isUnavailable: (err: unknown) => boolean): T {
  return new Proxy(target, {
    get(obj, key, receiver) {
      const value = Reflect.get(obj, key, receiver);
      if (typeof value !== 'function') return value;
      return function (this: unknown, ...args: unknown[]) {
        const translate = (err: unknown): never => {
          if (!(err instanceof KbError) && isUnavailable(err)) {
            throw new KbError('ProviderUnavailable', `The ${provider} store is not reachable: ${redactConnectionStrings((err as Error).message)}`, { cause: err });
          }
          throw err;
        };
        try {
          const out = value.apply(obj, args);
          return out instanceof Promise ? out.catch(translate) : out;
        } catch (err) {
          return translate(err);
        }
      };
    },
  });
}
