/** The servers every benchmark uses: the tests' own (`JOBSTORE_TEST_*_URL`), else the local defaults. */
export const PG_URL = process.env['JOBSTORE_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
export const MARIADB_URL = process.env['JOBSTORE_TEST_MARIADB_URL'] ?? 'mysql://root@127.0.0.1:3306/test';
export const REDIS_URL = process.env['JOBSTORE_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
/** host:port list, as node-zookeeper-client takes it. */
export const ZOOKEEPER_HOSTS = (process.env['JOBSTORE_TEST_ZOOKEEPER_URL'] ?? 'zookeeper://127.0.0.1:2181').replace(/^zookeeper:\/\//, '');
/** An etcd member's URL, as etcd3 takes it (scripts/etcd.sh starts one on 23790). */
export const ETCD_URL = process.env['JOBSTORE_TEST_ETCD_URL'] ?? 'http://127.0.0.1:23790';
