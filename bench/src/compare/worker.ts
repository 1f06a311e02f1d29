/**
 * One consumer process of a comparison run: opens the contender named on the command line, and
 * on the parent's `go` starts running its jobs, appending `id <tab> start time` to its ledger file
 * for each. On `stop` it closes and exits.
 */
import { CONTENDERS } from './contenders/index.js';
import { LedgerWriter } from './ledger.js';

const name = process.argv[2];
const ledger = process.env['JOBSTORE_CMP_LEDGER'];
const contender = CONTENDERS.find((c) => c.name === name);
if (contender === undefined || ledger === undefined || process.send === undefined) {
  console.error(`usage: a forked child, argv[2] a contender name (${CONTENDERS.map((c) => c.name).join(', ')}), JOBSTORE_CMP_LEDGER a file`);
  process.exit(2);
}
const send = process.send.bind(process);
const client = await contender.open();
const writer = new LedgerWriter(ledger);

process.on('message', (message: unknown) => {
  if (message === 'go') {
    void client.consume((id) => writer.record(id)).then(() => send('going'));
  } else if (message === 'stop') {
    void client.close().finally(() => {
      writer.flush();
      process.exit(0);
    });
  }
});
send('ready');
