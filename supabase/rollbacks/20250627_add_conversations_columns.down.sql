-- Rollback of 20250627_add_conversations_columns.sql: the schema as it stood before it.
-- Not applied by the CLI. `messages.sender` was kept, so no message content is lost.
-- Also removes the CLI's record of the migration so that `supabase db push` applies it again.

drop index if exists public.idx_conversations_status;
drop index if exists public.idx_conversations_ended_at;
drop index if exists public.idx_messages_role;

alter table public.conversations drop column if exists status;
alter table public.conversations drop column if exists ended_at;
alter table public.conversations drop column if exists elevenlabs_session_id;

alter table public.messages drop column if exists role;
alter table public.messages drop column if exists audio_url;

drop type if exists public.conversation_status_enum;

do $$
begin
  if to_regclass('supabase_migrations.schema_migrations') is not null then
    delete from supabase_migrations.schema_migrations where version = '20250627';
  end if;
end
$$;
