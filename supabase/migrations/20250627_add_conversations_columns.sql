-- Conversation lifecycle and voice columns, and `messages.role` in place of `messages.sender`.
--
-- As specified in shared/seeds/003_1eb31c9fbd90e18e.txt: `status` (enum active/ended/error),
-- `ended_at`, `elevenlabs_session_id` on conversations; `role` (carried over from `sender`) and
-- `audio_url` on messages; indexes on status, ended_at and role. Idempotent.
-- Rollback: supabase/rollbacks/20250627_add_conversations_columns.down.sql

-- TYPES ---------------------------------------------------------------------------------------
do $$
begin
  create type public.conversation_status_enum as enum ('active', 'ended', 'error');
exception
  when duplicate_object then null;
end
$$;

-- TABLE: conversations ------------------------------------------------------------------------
alter table public.conversations
  add column if not exists status public.conversation_status_enum not null default 'active';
alter table public.conversations add column if not exists ended_at timestamptz;
alter table public.conversations add column if not exists elevenlabs_session_id text;

-- TABLE: messages -----------------------------------------------------------------------------
alter table public.messages add column if not exists role text;
alter table public.messages add column if not exists audio_url text;

-- Carry every legacy `sender` into `role`. Older clients wrote 'ai' or 'bot' for the persona.
update public.messages
set role = case lower(sender)
  when 'ai' then 'assistant'
  when 'bot' then 'assistant'
  else lower(sender)
end
where role is null;

alter table public.messages alter column role set not null;

do $$
begin
  alter table public.messages
    add constraint messages_role_check check (role in ('user', 'assistant', 'system'));
exception
  when duplicate_object then null;
end
$$;

-- INDEXES -------------------------------------------------------------------------------------
create index if not exists idx_conversations_status on public.conversations (status);
create index if not exists idx_conversations_ended_at on public.conversations (ended_at);
create index if not exists idx_messages_role on public.messages (role);
