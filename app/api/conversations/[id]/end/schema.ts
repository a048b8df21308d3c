// Input of POST /api/conversations/{id}/end: only the id in the path; any body is ignored.

export { type ConversationRouteContext, conversationParams as endParams } from "../schema";
