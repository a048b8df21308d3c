-- Persona conversations and guest session tracking on `conversations`.
--
-- As specified in shared/seeds/000_0733b944ee403f1c.txt, including what its verification queries
-- must return: four nullable columns (session_id text, persona_id uuid → personas(id),
-- is_guest_session boolean default false, guest_message_count integer default 0), two indexes and
-- the column comments. Idempotent. Rollback:
-- supabase/rollbacks/20251028_extend_conversations_for_personas.down.sql

-- TABLE: conversations ------------------------------------------------------------------------
alter table public.conversations add column if not exists session_id text;
alter table public.conversations
  add column if not exists persona_id uuid references public.personas (id);
alter table public.conversations add column if not exists is_guest_session boolean default false;
alter table public.conversations add column if not exists guest_message_count integer default 0;

-- INDEXES -------------------------------------------------------------------------------------
create index if not exists idx_conversations_persona on public.conversations (persona_id);
create index if not exists idx_conversations_guest_session
  on public.conversations (session_id, is_guest_session);

-- COMMENTS ------------------------------------------------------------------------------------
comment on column public.conversations.session_id is
  'Guest session id for guest conversations; the user id (as text) for signed-in users.';
comment on column public.conversations.persona_id is
  'The persona this conversation is with. No cascade: conversations remain if a persona is deleted.';
comment on column public.conversations.is_guest_session is
  'True while the conversation belongs to a guest session without an account.';
comment on column public.conversations.guest_message_count is
  'Messages the guest has sent in this conversation; summed per session for the guest allowance.';
