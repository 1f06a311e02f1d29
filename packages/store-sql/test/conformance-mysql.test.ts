import { runConformanceSuite, SERVICES } from '@jobstore/conformance';
import { serverTarget } from './support/targets.js';

// MySQL 8 runs where JOBSTORE_TEST_MYSQL_URL is set or a container runtime answers.
runConformanceSuite(await serverTarget('mysql', SERVICES.mysql, 'mysql'));
