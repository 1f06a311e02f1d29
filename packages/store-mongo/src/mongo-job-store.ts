import { BaseJobStore, checkStoreOptions, InvalidArgumentError, type JobStore, type StoreOptions } from '@jobstore/core';
import { Db, MongoClient, type MongoClientOptions } from 'mongodb';
import { MongoDriver, type MongoConnection } from './mongo-driver.js';

/** Options of {@link MongoJobStore}, besides those every store takes ({@link StoreOptions}: `logger`). */
export interface MongoJobStoreOptions extends StoreOptions {
  /** A `mongodb://` or `mongodb+srv://` URL: the store makes its client and closes it on close(). */
  readonly url?: string;
  /** Your MongoClient (connected or not): the store uses it and leaves it open. */
  readonly client?: MongoClient;
  /** Your Db: the store uses it and leaves its client open; `database` is then not given. */
  readonly db?: Db;
  /** The database (with `url` or `client`); default `jobstore`. */
  readonly database?: string;
  /** The collection: a letter, then letters, digits and _; default `jobs`. */
  readonly collection?: string;
  /** Extra options for the client the store makes from `url` (TLS, auth, pool size). */
  readonly clientOptions?: MongoClientOptions;
}

const DATABASE = /^[A-Za-z0-9_-]{1,63}$/;

/**
 * APScheduler's MongoDBJobStore for Node: one document per job with the id as `_id`, claims by
 * conditional updates, notifications through change streams on a replica set.
 */
export class MongoJobStore extends BaseJobStore {
  /** `<database>.<collection>`, or the collection alone when given a Db. */
  readonly location: string;

  constructor(options: MongoJobStoreOptions) {
    const collection = checkStoreOptions(options, 'MongoJobStore', { connection: ['url', 'client', 'db'], namespaceOption: 'collection' });
    const { url, client, db, clientOptions } = options;
    if (url !== undefined && (typeof url !== 'string' || !/^mongodb(\+srv)?:\/\/\S+$/.test(url))) {
      throw new InvalidArgumentError(
        `MongoJobStore: url must be a mongodb:// or mongodb+srv:// URL, got ${typeof url === 'string' ? JSON.stringify(url.replace(/\/\/[^@/]*@/, '//***@')) : typeof url}`,
      );
    }
    if (client !== undefined && !(client instanceof MongoClient)) throw new InvalidArgumentError('MongoJobStore: client must be a MongoClient');
    if (db !== undefined && !(db instanceof Db)) throw new InvalidArgumentError('MongoJobStore: db must be a Db');
    if (db !== undefined && options.database !== undefined) throw new InvalidArgumentError('MongoJobStore: give database only with url or client (a Db names its own)');
    const database = options.database ?? 'jobstore';
    if (typeof database !== 'string' || !DATABASE.test(database))
      throw new InvalidArgumentError(`MongoJobStore: database ${JSON.stringify(database)} is not valid: use up to 63 letters, digits, _ or -`);
    super(new MongoDriver(`mongo:${collection}`, connection(url, client, db, database, clientOptions), collection), options);
    this.location = db !== undefined ? collection : `${database}.${collection}`;
  }
}

function connection(url: string | undefined, client: MongoClient | undefined, db: Db | undefined, database: string, clientOptions: MongoClientOptions | undefined): MongoConnection {
  if (db !== undefined) return { db: async () => db, close: async () => undefined };
  if (client !== undefined) return { db: async () => client.db(database), close: async () => undefined };
  // Calls fail with StoreUnavailableError after 10 s without a server, not after the driver's 30 s.
  const made = new MongoClient(url as string, { serverSelectionTimeoutMS: 10_000, ...clientOptions });
  return {
    db: async () => {
      await made.connect();
      return made.db(database);
    },
    close: () => made.close(),
  };
}

/** The store from plain options: how a scheduler's configuration (`{ type: 'mongo', url }`) opens it. */
export function createStore(options: MongoJobStoreOptions): JobStore {
  return new MongoJobStore(options);
}
