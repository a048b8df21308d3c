// Input of POST /api/conversations/{id}/retry: only the id in the path; any body is ignored.

export { type ConversationRouteContext, conversationParams as retryParams } from "../schema";
