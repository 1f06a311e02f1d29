import { runConformanceSuite } from '@jobstore/conformance';
import { sqliteFileTarget, sqliteMemoryTarget } from './support/targets.js';

runConformanceSuite(sqliteFileTarget());
runConformanceSuite(sqliteMemoryTarget());
