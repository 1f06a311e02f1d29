export { createJobstoreHandler, DASHBOARD_HEADER, type HandlerOptions, type JobstoreHandler } from './handler.js';
export type { AuthOption } from './auth.js';
export { jobToDict, triggerToDict, type JobJson } from './job-json.js';
export { BadRequestError } from './schemas.js';
export { toNodeListener, type NodeListener } from './adapters/node.js';
export { expressMiddleware, type ExpressRequest } from './adapters/express.js';
export { fastifyPlugin, type FastifyLike } from './adapters/fastify.js';
export { loadConfig, schedulerOptions, type ServiceConfig } from './config.js';
export { startService, type RunningService } from './service.js';
