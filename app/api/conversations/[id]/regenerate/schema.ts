// Input of POST /api/conversations/{id}/regenerate: only the id in the path; any body is ignored.

export { type ConversationRouteContext, conversationParams as regenerateParams } from "../schema";
