/**
 * The rules a backend author breaks first, as the suite's failure messages state them: what is
 * required and where core already has it, so a failure says what to do.
 */
export const RULES = {
  listingOrder: 'StoreDriver.list must return scheduled rows by (nextRunTime, id), then paused rows (nextRunTime null) by id, ' + 'ids compared by code point (compareIds from @jobstore/core)',
  codePointOrder:
    'ids sort by Unicode code point (UTF-8 byte order), not UTF-16 order or a locale collation: ' +
    'compare with compareIds from @jobstore/core; in SQL use a binary collation (COLLATE "C", utf8mb4_bin)',
  dueOrder: 'StoreDriver.due must return rows with nextRunTime <= now, by (nextRunTime, id), leased or not',
  oddIds: 'an id is an opaque string kept exactly: never a path, a key pattern or query text (bind it as a parameter), ' + 'case-, space- and Unicode-sensitive',
  claim:
    'StoreDriver.acquire must claim, in (nextRunTime, id) order and up to limit, the rows isClaimable from @jobstore/core accepts ' +
    '(due, and unleased, leased to the same owner, or acquiredUntil < now), writing acquiredBy = owner and acquiredUntil = leaseUntil',
  liveLease: 'a lease holds up to and including acquiredUntil: acquire must pass over it while acquiredUntil >= now (isClaimable)',
  endedLease: 'a lease has ended once acquiredUntil < now: acquire must then give the row to another owner (isClaimable)',
  ownLease: 'acquire must give an owner back the rows it already holds (isClaimable: acquiredBy === owner), with the new lease end',
  limitSkipsHeld: "rows leased to others must be passed over, not counted against acquire's limit",
  release:
    'StoreDriver.release must check, in this order, missing, then acquiredBy !== owner (lost, with the holder), then expectedVersion ' +
    '(conflict), as releaseRefusal from @jobstore/core does, and write nothing when one fails',
  releaseWrites: 'a release writes the new nextRunTime (and data), clears acquiredBy and acquiredUntil and sets version + 1, atomically',
  leaseAlone: 'StoreDriver.update must leave acquiredBy and acquiredUntil as they are',
  extend: 'StoreDriver.extend must move acquiredUntil only on rows whose acquiredBy is the owner (holdsLease), and return those ids',
} as const;
