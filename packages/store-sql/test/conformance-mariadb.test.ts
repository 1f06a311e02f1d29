import { runConformanceSuite, SERVICES } from '@jobstore/conformance';
import { serverTarget } from './support/targets.js';

runConformanceSuite(await serverTarget('mariadb', SERVICES.mariadb, 'mysql'));
