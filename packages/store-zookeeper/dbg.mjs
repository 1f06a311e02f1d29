import { ZooKeeperJobStore } from '@jobstore/store-zookeeper';
const ns = 'dbg' + Date.now() % 100000;
const a = new ZooKeeperJobStore({ connectionString: '127.0.0.1:2181', root: '/jobstore-dbg', namespace: ns });
const at = new Date(Date.UTC(2030, 0, 1));
let t = performance.now();
for (let i = 0; i < 2000; i += 200) {
  await Promise.all(Array.from({ length: 200 }, (_, k) => a.addJob({ id: `j${i + k}`, nextRunTime: at })));
  console.log(i + 200, (performance.now() - t).toFixed(0));
}
t = performance.now();
console.log((await a.getDueJobs(at)).length, 'due in', (performance.now() - t).toFixed(0));
await a.removeAllJobs(); await a.close();
