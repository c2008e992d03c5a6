export type * from "./client.js";
export type * from "./facilitator.js";
export type * from "./server.js";
