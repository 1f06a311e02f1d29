import type { Contender } from '../contender.js';
import { agendaPostgres, agendaRedis } from './agenda.js';
import { bullmq } from './bullmq.js';
import { jobstoreContenders } from './jobstore.js';
import { pgBoss } from './pg-boss.js';

/** Every scheduler the comparison runs, jobstore's backends first, then the peers. */
export const CONTENDERS: readonly Contender[] = [...jobstoreContenders, bullmq, agendaRedis, pgBoss, agendaPostgres];
