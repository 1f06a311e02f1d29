import { InvalidArgumentError } from './errors.js';
import { assertNamespace } from './validate.js';

/** What {@link checkStoreOptions} checks besides `options` being an object. */
export interface StoreOptionRules<Options extends object> {
  /**
   * The options of which exactly one says where the data lives (`['url', 'client']`: a URL the
   * store connects to, or a client of yours); none are checked when omitted.
   */
  readonly connection?: readonly (keyof Options & string)[];
  /** The option that names the namespace; default `"namespace"`. */
  readonly namespaceOption?: keyof Options & string;
  /** The namespace when the option is not given; default `"jobs"`. */
  readonly defaultNamespace?: string;
}

/**
 * The checks every store's options begin with, made when the store is made so that a mistake is
 * an InvalidArgumentError before anything connects: `options` is an object; its namespace (or
 * `defaultNamespace`) passes {@link assertNamespace}; exactly one of the `connection` options is
 * given. Messages start with `store`, and name the option.
 *
 * @example
 * ```ts
 * const namespace = checkStoreOptions(options, 'RedisJobStore', { connection: ['client', 'url', 'cluster'] });
 * ```
 * @param options - the options as the user gave them.
 * @param store - who checks, for the messages: `"MyJobStore"`.
 * @returns the namespace.
 * @throws InvalidArgumentError when a check fails.
 */
export function checkStoreOptions<Options extends object>(options: Options, store: string, rules: StoreOptionRules<Options> = {}): string {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError(`${store}: options must be an object`);
  const { connection = [], namespaceOption = 'namespace', defaultNamespace = 'jobs' } = rules;
  const namespace: unknown = (options as Record<string, unknown>)[namespaceOption] ?? defaultNamespace;
  assertNamespace(namespace, namespaceOption === 'namespace' ? store : `${store} (${namespaceOption})`);
  if (connection.length > 0) {
    const given = connection.filter((option) => options[option] !== undefined);
    if (given.length !== 1) {
      throw new InvalidArgumentError(`${store}: give exactly one of ${either(connection, 'or')}, got ${given.length === 0 ? 'none' : either(given, 'and')}`);
    }
  }
  return namespace;
}

/** `a`, `a or b`, `a, b or c`. */
function either(names: readonly string[], last: string): string {
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} ${last} ${names[names.length - 1]}`;
}
