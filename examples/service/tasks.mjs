// Example tasks for `jobstore serve --config examples/service/jobstore.config.json`.
// Each export is a task named "./tasks.mjs:<export>"; a job's args come first, then its kwargs.
const stamp = () => new Date().toISOString().slice(11, 19);

export function heartbeat() {
  console.log(`[${stamp()}] heartbeat`);
}

export async function report(kind) {
  console.log(`[${stamp()}] building the ${kind} report`);
  await new Promise((resolve) => setTimeout(resolve, 200));
  return { kind, rows: 42 };
}

export function cleanup({ olderThanDays }) {
  console.log(`[${stamp()}] removing files older than ${olderThanDays} days`);
}
