import type { Contender } from '../contender.js';
import { jobstoreContenders } from './jobstore.js';

/** Every scheduler the comparison runs, jobstore's backends first, then the peers. */
export const CONTENDERS: readonly Contender[] = [...jobstoreContenders];
