import { copyFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { childServer, type OwnServer } from './own-server.js';

const JAR = '/usr/share/java/zookeeper.jar';

/**
 * A ZooKeeper server of the test's own ({@link OwnServer}), from Debian's `zookeeper` package
 * (`scripts/zookeeper.sh start` installs it), with the admin server off.
 */
export async function startZooKeeper(): Promise<OwnServer> {
  if (!existsSync(JAR)) throw new Error(`no ${JAR}: install Debian's zookeeper package (scripts/zookeeper.sh start does)`);
  const dir = mkdtempSync(join(tmpdir(), 'jobstore-zk-'));
  const port = await freePort();
  mkdirSync(join(dir, 'conf'));
  mkdirSync(join(dir, 'data'));
  // tickTime 500 ms allows short sessions, as the shared test server does.
  const config = [`tickTime=500`, `initLimit=10`, `syncLimit=5`, `dataDir=${join(dir, 'data')}`, `clientPort=${port}`, `clientPortAddress=127.0.0.1`, `maxClientCnxns=0`, `admin.enableServer=false`];
  writeFileSync(join(dir, 'conf', 'zoo.cfg'), `${config.join('\n')}\n`);
  if (existsSync('/etc/zookeeper/conf/log4j.properties')) copyFileSync('/etc/zookeeper/conf/log4j.properties', join(dir, 'conf', 'log4j.properties'));
  const server = childServer({
    command: 'java',
    args: [`-Dzookeeper.log.dir=${dir}`, '-cp', `${join(dir, 'conf')}:${JAR}`, 'org.apache.zookeeper.server.ZooKeeperServerMain', join(dir, 'conf', 'zoo.cfg')],
    port,
    url: `zookeeper://127.0.0.1:${port}`,
    dir,
    what: 'ZooKeeper',
  });
  await server.start();
  return server;
}
