// Input of GET /api/conversations/{id}/export: only the id in the path; any query is ignored.

export { type ConversationRouteContext, conversationParams as exportParams } from "../schema";
