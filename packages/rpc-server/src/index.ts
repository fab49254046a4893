export { createHttpServer, type HttpOptions, listen } from './http.js'
export { parseJwtSecret, signJwt, verifyJwt } from './jwt.js'
export { type RunningServer, type ServerOptions, startServer } from './server.js'
export { attachWebSocket, type WsOptions } from './ws.js'
