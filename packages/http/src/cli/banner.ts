import type { RunningService } from '../service.js';
import { info } from './output.js';

/** What the service is and where: printed once it is up. */
export async function printBanner(
  service: RunningService,
  source: { readonly file: string | undefined; readonly database: string | undefined; readonly fromEnvironment: readonly string[] },
): Promise<void> {
  if (source.file !== undefined) info(`config ${source.file}`);
  else info(`no config file: jobs in ${source.database ?? 'the stores the environment names'}`);
  if (source.fromEnvironment.length > 0) {
    const list = source.fromEnvironment.join(', ');
    info(source.file === undefined ? `settings from environment variables: ${list}` : `environment variables override ${source.file}: ${list}`);
  }
  const jobs = await service.scheduler.getJobs();
  info(`scheduler ${service.scheduler.state} with ${jobs.length} job(s)`);
  if (service.url === undefined) {
    info('API and dashboard off (SCHEDULER_API_ENABLED is false)');
  } else {
    info(`API at ${service.url}`);
    info(`dashboard at ${service.url}/dashboard`);
    if (service.generatedToken !== undefined) info(`no SCHEDULER_AUTH set; this run's bearer token is ${service.generatedToken}`);
  }
  info('press Ctrl-C to stop');
}
